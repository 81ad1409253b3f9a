using Gantry.Router.Clusters;

namespace Gantry.Router.LoadBalancing;

/// <summary>Chooses one destination among those currently available; implementations are thread-safe and allocation-free.</summary>
public interface ILoadBalancer
{
    /// <param name="available">Non-empty; every entry has weight above 0 and passed health filtering.</param>
    DestinationState Pick(ReadOnlySpan<DestinationState> available);
}
