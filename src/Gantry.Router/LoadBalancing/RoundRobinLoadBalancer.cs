using Gantry.Router.Clusters;

namespace Gantry.Router.LoadBalancing;

/// <summary>Round robin over the available destinations, one shared interlocked counter per cluster.</summary>
public sealed class RoundRobinLoadBalancer : ILoadBalancer
{
    private uint _next;

    public DestinationState Pick(ReadOnlySpan<DestinationState> available, ReadOnlySpan<int> weights)
    {
        var n = Interlocked.Increment(ref _next) - 1;
        return available[(int)(n % (uint)available.Length)];
    }
}
