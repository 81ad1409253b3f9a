using Gantry.Router.Contracts.Routes;


namespace Gantry.Router.Tests.Support;

/// <summary>Small builders for route tables in tests.</summary>
public static class Tables
{
    public static ClusterSpec Cluster(string id, params string[] addresses) => new()
    {
        Id = id,
        Destinations = [.. addresses.Select((a, i) => new DestinationSpec { Id = $"{id}-{i}", Address = a })],
    };

    public static RouteSpec Route(string id, string cluster, string host, string? prefix = null, string entrypoint = Entrypoints.External) => new()
    {
        Id = id,
        ClusterId = cluster,
        Hosts = [host],
        PathPrefix = prefix,
        Entrypoint = entrypoint,
    };

    public static RouteTableSpec Table(long version, IReadOnlyList<RouteSpec> routes, params ClusterSpec[] clusters) => new()
    {
        Version = version,
        Routes = routes,
        Clusters = clusters,
    };

    /// <summary>One route "app.test" → one cluster "app" with the given destinations.</summary>
    public static RouteTableSpec Single(string address, long version = 1, Func<ClusterSpec, ClusterSpec>? cluster = null)
    {
        var c = Cluster("app", address);
        return Table(version, [Route("app", "app", "app.test")], cluster is null ? c : cluster(c));
    }
}
