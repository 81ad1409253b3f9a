using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Observability;

namespace Gantry.Router.Routing;

/// <summary>A compiled route: its spec, the resolved cluster and metrics, so a matched request needs no further lookups.</summary>
public sealed class RouteEntry
{
    public RouteEntry(RouteSpec spec, ClusterState cluster, TrafficMetrics metrics)
    {
        Spec = spec;
        Cluster = cluster;
        Metrics = metrics;
        // "/api/" and "/api" mean the same prefix; keep it without the trailing slash for the boundary check.
        Prefix = string.IsNullOrEmpty(spec.PathPrefix) || spec.PathPrefix == "/" ? "" : spec.PathPrefix.TrimEnd('/');
    }

    public RouteSpec Spec { get; }

    public string Id => Spec.Id;

    public ClusterState Cluster { get; }

    public TrafficMetrics Metrics { get; }

    /// <summary>Normalized prefix ("" matches every path).</summary>
    public string Prefix { get; }

    /// <summary>True when the path equals the prefix or continues it at a segment boundary.</summary>
    public bool MatchesPath(ReadOnlySpan<char> path)
    {
        if (Prefix.Length == 0)
        {
            return true;
        }

        return path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            && (path.Length == Prefix.Length || path[Prefix.Length] == '/');
    }
}
