using System.Globalization;
using Gantry.Model;
using Gantry.Model.Routing;
using Gantry.Model.Status;
using Gantry.Router.Contracts.Routes;

namespace Gantry.Server.Routing;

/// <summary>
/// Builds the router's table from every app's desired routes and observed replicas. Pure: the same
/// apps give the same table, so the publisher can tell a real change from a status rewrite; and the
/// table is always valid, so no router ever has to refuse part of it.
/// </summary>
public static class RouteTableBuilder
{
    /// <summary>Builds the table of apps whose creation order is unknown (tests, tools): ties are broken by name.</summary>
    public static RouteTableSpec Build(IEnumerable<(AppSpec Spec, AppStatus Status)> apps) =>
        Build(apps.Select(a => (a.Spec, a.Status, DateTimeOffset.MinValue)), out _);

    /// <summary>
    /// Builds the table; routes come oldest app first, and a host and path claimed again (state stored before routes were
    /// owned, or two deploys racing) stays with the oldest app: the later claim is left out and described in
    /// <paramref name="leftOut"/>. Whatever the store holds, the table returned passes the router's validator.
    /// </summary>
    public static RouteTableSpec Build(IEnumerable<(AppSpec Spec, AppStatus Status, DateTimeOffset CreatedAt)> apps, out IReadOnlyList<string> leftOut) =>
        Build(apps, new HashSet<string>(StringComparer.Ordinal), out leftOut);

    /// <summary>
    /// Builds the table leaving out every replica on <paramref name="unroutedNodes"/> (cluster nodes that are down, drained or
    /// being drained, <see cref="UnroutedNodes"/>): their replicas leave the routers as soon as the node is known lost, not
    /// when Swarm has rescheduled them and the status no longer lists them.
    /// </summary>
    public static RouteTableSpec Build(IEnumerable<(AppSpec Spec, AppStatus Status, DateTimeOffset CreatedAt)> apps, IReadOnlySet<string> unroutedNodes,
        out IReadOnlyList<string> leftOut)
    {
        ArgumentNullException.ThrowIfNull(unroutedNodes);
        var routes = new List<RouteSpec>();
        var clusters = new List<ClusterSpec>();
        var dropped = new List<string>();
        var claimed = new Dictionary<string, RouteClaim>(StringComparer.Ordinal);
        foreach (var (spec, status, _) in apps.OrderBy(a => a.CreatedAt).ThenBy(a => a.Spec.Name, StringComparer.Ordinal))
        {
            foreach (var service in spec.Services)
            {
                if (service.Routing is not { Routes.Count: > 0 } routing)
                {
                    continue;
                }
                var observed = status.Services.FirstOrDefault(s => s.Name == service.Name);
                foreach (var port in routing.Routes.Select(r => r.Port).Distinct().Order())
                {
                    var clusterId = $"{spec.Name}-{service.Name}-{port.ToString(CultureInfo.InvariantCulture)}";
                    clusters.Add(new ClusterSpec
                    {
                        Id = clusterId,
                        LoadBalancing = routing.LoadBalancing,
                        Health = routing.Health is { } h ? new Gantry.Router.Contracts.Routes.HealthCheckSpec { Path = h.Path, Interval = h.Interval, Timeout = h.Timeout } : null,
                        Destinations = Destinations(spec, service, observed, port, unroutedNodes),
                        // During a canary step each client stays on the release it first got.
                        StickyCookie = observed?.Replicas.Any(r => r.Traffic == TrafficRole.Canary) == true ? $"gantry-{spec.Name}-{service.Name}" : null,
                        // A service that scales to zero: the routers hold its requests while it is woken (docs/decisions/0014).
                        Wake = service.Autoscale is { Min: 0 } ? new WakeSpec(spec.Name, service.Name) : null,
                    });
                }
                var index = 0;
                foreach (var route in routing.Routes)
                {
                    // Ids stay put when a route is left out, so the others keep their metrics and records.
                    var id = $"{spec.Name}-{service.Name}-{index++}";
                    var hosts = OwnedHosts(spec.Name, service.Name, route, claimed, dropped);
                    if (hosts.Count == 0)
                    {
                        continue;
                    }
                    routes.Add(new RouteSpec
                    {
                        Id = id,
                        Entrypoint = route.Entrypoint,
                        Hosts = hosts,
                        PathPrefix = route.Path,
                        ClusterId = $"{spec.Name}-{service.Name}-{route.Port.ToString(CultureInfo.InvariantCulture)}",
                        RedirectToHttps = route.RedirectToHttps,
                    });
                }
            }
        }
        // The last guard: anything else the router would refuse (a stored spec from an older, laxer parser) is left out here,
        // so one app's bad route never reaches the routers at all.
        var table = RouteTableSanitizer.Sanitize(new RouteTableSpec { Routes = routes, Clusters = clusters });
        dropped.AddRange(table.Rejected.Select(r => $"{r.Id} left out: {r.Reason}"));
        leftOut = dropped;
        return table.Accepted;
    }

    /// <summary>The route's hosts that no earlier route claimed (with its path and entrypoint); the others go to <paramref name="dropped"/>.</summary>
    private static List<string> OwnedHosts(string app, string service, GantryRoute route, Dictionary<string, RouteClaim> claimed, List<string> dropped)
    {
        var hosts = new List<string>(route.Hosts.Count);
        foreach (var host in route.Hosts)
        {
            var claim = new RouteClaim(app, service, route.Entrypoint, host, route.Path);
            if (claimed.TryAdd(claim.Key, claim))
            {
                hosts.Add(claim.Host);
            }
            else if (claimed[claim.Key] is { } owner && (owner.App, owner.Service) != (app, service))
            {
                dropped.Add($"app '{app}' (service '{service}') is not routed for {claim.Describe()}: app '{owner.App}' (service '{owner.Service}') owns it");
            }
        }
        return hosts;
    }

    /// <summary>
    /// The replicas the controller put in service (traffic role live or canary: ready, and of the live
    /// release during a blue-green rollout), by their address on the app network. During a canary step
    /// the two releases' weights split the traffic in the step's proportion, sticky per client.
    /// </summary>
    private static List<DestinationSpec> Destinations(AppSpec app, ServiceSpec service, ServiceStatus? observed, int port, IReadOnlySet<string> unroutedNodes)
    {
        var replicas = (observed?.Replicas ?? []).Where(r => r.Node is null || !unroutedNodes.Contains(r.Node)).ToList();
        var serving = replicas
            .Where(r => r.IpAddress is { Length: > 0 } && (r.Traffic is TrafficRole.Live or TrafficRole.Canary
                // Status written before traffic roles existed: every ready replica serves.
                || (r.Traffic is null && r.State == "running" && r.Health is "healthy" or "none")))
            .OrderBy(r => r.Slot).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        // The next release (staged) and the previous one (warm) stand in the table at weight 0: no requests, but the
        // routers probe them, so a swap or a rollback moves traffic to replicas every router has already found healthy.
        var standing = replicas
            .Where(r => r.IpAddress is { Length: > 0 } && r.State == "running" && r.Traffic is TrafficRole.Staged or TrafficRole.Warm)
            .OrderBy(r => r.Slot).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        var canary = serving.Where(r => r.Traffic == TrafficRole.Canary).ToList();
        var share = canary.Count > 0 && serving.Count > canary.Count ? Math.Clamp(canary[0].Weight ?? 0, 0, 100) : -1;
        return serving.Concat(standing).Select(r => new DestinationSpec
        {
            Id = r.Name,
            Address = $"http://{r.IpAddress}:{port.ToString(CultureInfo.InvariantCulture)}",
            Weight = r.Traffic is TrafficRole.Staged or TrafficRole.Warm ? 0
                : share < 0 ? 100
                : r.Traffic == TrafficRole.Canary ? Math.Max(share == 0 ? 0 : 1, share * 100 / canary.Count)
                : Math.Max(share == 100 ? 0 : 1, (100 - share) * 100 / (serving.Count - canary.Count)),
            Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["app"] = app.Name,
                ["service"] = service.Name,
                ["replica"] = r.Name,
                ["spec"] = r.SpecHash ?? "",
                ["release"] = r.SpecHash ?? "",
            }.WithNode(r.Node),
        }).ToList();
    }

    /// <summary>The node a destination's replica runs on, as the label <c>node</c> (on a cluster only): `gantry node drain`
    /// finds the replicas it waits for by it.</summary>
    private static SortedDictionary<string, string> WithNode(this SortedDictionary<string, string> labels, string? node)
    {
        if (node is not null)
        {
            labels["node"] = node;
        }
        return labels;
    }

    /// <summary>Which app and service each cluster id of the table belongs to (ids are `{app}-{service}-{port}`, not parseable back).</summary>
    public static IReadOnlyDictionary<string, (string App, string Service)> ClusterOwners(IEnumerable<AppSpec> apps)
    {
        var owners = new Dictionary<string, (string App, string Service)>(StringComparer.Ordinal);
        foreach (var app in apps)
        {
            foreach (var service in app.Services)
            {
                foreach (var route in service.Routing?.Routes ?? [])
                {
                    owners[$"{app.Name}-{service.Name}-{route.Port.ToString(CultureInfo.InvariantCulture)}"] = (app.Name, service.Name);
                }
            }
        }
        return owners;
    }

    /// <summary>Every replica a table names, at any weight.</summary>
    public static IReadOnlySet<string> PresentReplicas(RouteTableSpec table) =>
        table.Clusters.SelectMany(c => c.Destinations).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>The replicas a table sends traffic to (by destination id, the replica's name).</summary>
    public static IReadOnlySet<string> RoutedReplicas(RouteTableSpec table) =>
        table.Clusters.SelectMany(c => c.Destinations).Where(d => d.Weight > 0).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>Two tables route the same way (the version aside).</summary>
    public static bool SameRouting(RouteTableSpec a, RouteTableSpec b) =>
        System.Text.Json.JsonSerializer.Serialize(a with { Version = 0 }, RouteTableJsonContext.Default.RouteTableSpec)
        == System.Text.Json.JsonSerializer.Serialize(b with { Version = 0 }, RouteTableJsonContext.Default.RouteTableSpec);
}
