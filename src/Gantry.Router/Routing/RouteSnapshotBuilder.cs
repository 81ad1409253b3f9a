using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.LoadBalancing;
using Gantry.Router.Observability;

namespace Gantry.Router.Routing;

/// <summary>Compiles a validated route table into a snapshot, carrying over destination state (health, in-flight, metrics) from the previous one.</summary>
public static class RouteSnapshotBuilder
{
    /// <summary>Used when a cluster sets no request timeout: long enough for slow endpoints, short enough to free stuck requests.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(100);

    public static RouteSnapshot Build(RouteTableSpec table, RouteSnapshot? previous, RouterMetrics metrics, TimeProvider time,
        IReadOnlyList<RejectedEntry>? rejected = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        var clusters = new Dictionary<string, ClusterState>(StringComparer.Ordinal);
        foreach (var spec in table.Clusters)
        {
            ClusterState? old = null;
            previous?.Clusters.TryGetValue(spec.Id, out old);
            var destinations = new DestinationState[spec.Destinations.Count];
            for (var i = 0; i < destinations.Length; i++)
            {
                var destinationSpec = spec.Destinations[i];
                var kept = old?.Destinations.FirstOrDefault(d => d.Id == destinationSpec.Id
                    && string.Equals(d.Spec.Address.TrimEnd('/'), destinationSpec.Address.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
                if (kept is not null)
                {
                    // Same replica at the same address: keep its health verdict and in-flight count, take the new weight and labels.
                    kept.Spec = destinationSpec;
                    destinations[i] = kept;
                }
                else
                {
                    destinations[i] = new DestinationState(spec.Id, destinationSpec);
                }
            }

            var passive = spec.PassiveHealth ?? PassiveHealthSpec.Default;
            var reactivationTicks = (long)(passive.ReactivationPeriod.TotalSeconds * time.TimestampFrequency);
            clusters[spec.Id] = new ClusterState(spec, destinations, CreateBalancer(spec.LoadBalancing, old),
                spec.RequestTimeout ?? DefaultRequestTimeout, reactivationTicks);
        }

        var external = new List<RouteEntry>();
        var @internal = new List<RouteEntry>();
        foreach (var route in table.Routes)
        {
            var entry = new RouteEntry(route, clusters[route.ClusterId], metrics.ForRoute(route.Id));
            (route.Entrypoint == Entrypoints.Internal ? @internal : external).Add(entry);
        }

        return new RouteSnapshot(table, new RouteMatcher(external), new RouteMatcher(@internal), clusters) { Rejected = rejected ?? [] };
    }

    private static ILoadBalancer CreateBalancer(string policy, ClusterState? old)
    {
        // Round robin keeps its position across swaps; the weighted balancer starts afresh because its running values
        // are keyed by destination objects and would otherwise keep removed replicas alive.
        return policy switch
        {
            LoadBalancingPolicies.RoundRobin => old?.LoadBalancer as RoundRobinLoadBalancer ?? new RoundRobinLoadBalancer(),
            LoadBalancingPolicies.Weighted => new SmoothWeightedLoadBalancer(),
            _ => old?.LoadBalancer as PowerOfTwoChoicesLoadBalancer ?? new PowerOfTwoChoicesLoadBalancer(),
        };
    }
}
