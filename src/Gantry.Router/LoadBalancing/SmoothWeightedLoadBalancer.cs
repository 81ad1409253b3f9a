using Gantry.Router.Clusters;

namespace Gantry.Router.LoadBalancing;

/// <summary>nginx's smooth weighted round robin: each destination gets its weight's share, interleaved rather than in bursts.</summary>
/// <remarks>Each pick adds every weight to its running value, takes the largest and subtracts the total from it. The running
/// values live here (keyed by the state object) and are guarded by one lock: the loop is a few additions per destination.</remarks>
public sealed class SmoothWeightedLoadBalancer : ILoadBalancer
{
    private readonly Lock _lock = new();
    private readonly Dictionary<DestinationState, long> _current = new(ReferenceEqualityComparer.Instance);

    public DestinationState Pick(ReadOnlySpan<DestinationState> available, ReadOnlySpan<int> weights)
    {
        if (available.Length == 1)
        {
            return available[0];
        }

        lock (_lock)
        {
            long total = 0;
            DestinationState? best = null;
            long bestValue = long.MinValue;
            for (var i = 0; i < available.Length; i++)
            {
                var destination = available[i];
                var weight = weights[i];
                total += weight;
                ref var current = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_current, destination, out _);
                current += weight;
                if (current > bestValue)
                {
                    bestValue = current;
                    best = destination;
                }
            }

            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_current, best!) -= total;
            return best!;
        }
    }
}
