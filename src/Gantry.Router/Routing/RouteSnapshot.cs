using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Routes;

namespace Gantry.Router.Routing;

/// <summary>One immutable compiled route table; requests read it once through a volatile reference and finish on it even if a newer one is swapped in.</summary>
public sealed class RouteSnapshot
{
    public RouteSnapshot(RouteTableSpec table, RouteMatcher external, RouteMatcher @internal, IReadOnlyDictionary<string, ClusterState> clusters)
    {
        Table = table;
        External = external;
        Internal = @internal;
        Clusters = clusters;
    }

    public RouteTableSpec Table { get; }

    public long Version => Table.Version;

    public RouteMatcher External { get; }

    public RouteMatcher Internal { get; }

    public IReadOnlyDictionary<string, ClusterState> Clusters { get; }

    /// <summary>What the router left out of the table it received to serve this one (empty when the table was valid).</summary>
    public IReadOnlyList<RejectedEntry> Rejected { get; init; } = [];
}
