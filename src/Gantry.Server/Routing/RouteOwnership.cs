using Gantry.Model;

namespace Gantry.Server.Routing;

/// <summary>Routes are owned: a host and path prefix on an entrypoint belongs to the app that declared it first (the one that
/// holds it in the store), and no deploy, rollback or push of another app can take it over. Pure: specs in, conflicts out.</summary>
/// <remarks>The router could serve only one of two identical claims; before this check the second app was accepted and every
/// router refused every table from then on (issue 15). Different path prefixes under one host are different claims (as in
/// kamal-proxy): an app may route /api of a host whose / another app routes. See docs/decisions/0007-routes-are-owned.md.</remarks>
public static class RouteOwnership
{
    /// <summary>Every claim an app's services declare in x-gantry (as resolved when loaded; hosts in their canonical spelling), in service and route order.</summary>
    public static IReadOnlyList<RouteClaim> Claims(AppSpec app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var claims = new List<RouteClaim>();
        foreach (var service in app.Services)
        {
            foreach (var route in service.Routing?.Routes ?? [])
            {
                foreach (var host in route.Hosts)
                {
                    claims.Add(new RouteClaim(app.Name, service.Name, route.Entrypoint, host, route.Path));
                }
            }
        }
        return claims;
    }

    /// <summary>The claims of <paramref name="spec"/> that an app in <paramref name="others"/> holds, or that two of its own
    /// services both make. Pass the other apps oldest first: with state from before this rule, the oldest holder is named.</summary>
    public static IReadOnlyList<RouteConflict> Check(AppSpec spec, IEnumerable<AppSpec> others)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(others);
        var held = new Dictionary<string, RouteClaim>(StringComparer.Ordinal);
        foreach (var other in others.Where(o => o.Name != spec.Name))
        {
            foreach (var claim in Claims(other))
            {
                held.TryAdd(claim.Key, claim);
            }
        }

        var conflicts = new List<RouteConflict>();
        var own = new Dictionary<string, RouteClaim>(StringComparer.Ordinal);
        foreach (var claim in Claims(spec))
        {
            if (held.TryGetValue(claim.Key, out var owner))
            {
                conflicts.Add(new RouteConflict(claim, owner));
            }
            else if (own.TryGetValue(claim.Key, out var sibling))
            {
                // One service naming a host twice is harmless (the builder keeps one); two services are a real conflict.
                if (sibling.Service != claim.Service)
                {
                    conflicts.Add(new RouteConflict(claim, sibling));
                }
            }
            else
            {
                own.Add(claim.Key, claim);
            }
        }
        return conflicts;
    }
}
