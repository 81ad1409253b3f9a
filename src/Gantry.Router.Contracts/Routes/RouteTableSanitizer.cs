namespace Gantry.Router.Contracts.Routes;

/// <summary>Keeps the valid part of a route table: one bad route (a host another route already claims, a broken cluster)
/// must not stop every other app's routing, so only the offending entries are left out, each reported.</summary>
/// <remarks>Rules, in table order: a cluster with an error of its own is left out, with every route pointing at it; a bad
/// destination is dropped from its cluster; a route with any error is left out whole (its other hosts too: half a route is
/// harder to reason about than none). For a host and path prefix claimed twice, the earlier route keeps it: the server
/// publishes routes oldest owner first, so the first claim is the owner's. Pure: the same table gives the same split.</remarks>
public static class RouteTableSanitizer
{
    public static SanitizedTable Sanitize(RouteTableSpec table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var errors = RouteTableValidator.Validate(table);
        if (errors.Count == 0)
        {
            return new SanitizedTable(table, [], []);
        }

        var rejected = new List<RejectedEntry>();
        var clusters = new List<ClusterSpec>(table.Clusters.Count);
        var allClusterIds = new HashSet<string>(StringComparer.Ordinal);
        var acceptedClusterIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < table.Clusters.Count; i++)
        {
            var cluster = table.Clusters[i];
            var at = $"clusters[{i}]";
            var found = new List<ConfigError>();
            RouteTableValidator.ValidateCluster(cluster, at, allClusterIds, found);
            var own = found.Where(e => !e.Path.StartsWith(at + ".destinations[", StringComparison.Ordinal)).ToList();
            if (own.Count != 0)
            {
                rejected.Add(new RejectedEntry(at, cluster?.Id ?? "", Describe(own)));
                continue;
            }

            var bad = found.GroupBy(e => DestinationIndex(e.Path, at)).ToDictionary(g => g.Key, g => g.ToList());
            var destinations = new List<DestinationSpec>(cluster.Destinations.Count);
            for (var d = 0; d < cluster.Destinations.Count; d++)
            {
                if (bad.TryGetValue(d, out var problems))
                {
                    rejected.Add(new RejectedEntry($"{at}.destinations[{d}]", cluster.Destinations[d]?.Id ?? "", Describe(problems)));
                }
                else
                {
                    destinations.Add(cluster.Destinations[d]);
                }
            }

            acceptedClusterIds.Add(cluster.Id);
            clusters.Add(bad.Count == 0 ? cluster : cluster with { Destinations = destinations });
        }

        var routes = new List<RouteSpec>(table.Routes.Count);
        var routeIds = new HashSet<string>(StringComparer.Ordinal);
        var claimed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < table.Routes.Count; i++)
        {
            var route = table.Routes[i];
            var at = $"routes[{i}]";
            // Check against copies: a route left out must not keep its id or hosts from a later valid route.
            var ids = new HashSet<string>(routeIds, StringComparer.Ordinal);
            var claims = new Dictionary<string, string>(claimed, StringComparer.OrdinalIgnoreCase);
            var found = new List<ConfigError>();
            RouteTableValidator.ValidateRoute(route, at, ids, allClusterIds, claims, found);
            if (route is not null && allClusterIds.Contains(route.ClusterId) && !acceptedClusterIds.Contains(route.ClusterId))
            {
                found.Add(new ConfigError($"{at}.clusterId", $"\"{route.ClusterId}\" was left out of the table (see its errors), so this route has nowhere to send requests"));
            }

            if (found.Count != 0)
            {
                rejected.Add(new RejectedEntry(at, route?.Id ?? "", Describe(found)));
                continue;
            }

            routeIds = ids;
            claimed = claims;
            routes.Add(route!);
        }

        return new SanitizedTable(table with { Routes = routes, Clusters = clusters }, rejected, errors);
    }

    private static int DestinationIndex(string path, string clusterAt)
    {
        var start = clusterAt.Length + ".destinations[".Length;
        var end = path.IndexOf(']', start);
        return int.Parse(path.AsSpan(start, end - start), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Describe(List<ConfigError> errors) => string.Join("; ", errors);
}
