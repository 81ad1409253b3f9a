using Gantry.Router.Clusters;

namespace Gantry.Router.LoadBalancing;

/// <summary>Chooses one destination among those currently available; implementations are thread-safe and allocation-free.</summary>
public interface ILoadBalancer
{
    /// <param name="available">Non-empty; every entry passed health filtering.</param>
    /// <param name="weights">The snapshot's weight of each available destination (all above 0).</param>
    DestinationState Pick(ReadOnlySpan<DestinationState> available, ReadOnlySpan<int> weights);
}
