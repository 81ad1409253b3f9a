using Gantry.Router.Config;
using Gantry.Router.LoadBalancing;

namespace Gantry.Router.Clusters;

/// <summary>The compiled, immutable view of one cluster inside a route snapshot: its destinations' shared state and its balancer.</summary>
public sealed class ClusterState
{
    // Scratch space for the available subset; Pick is synchronous, so a per-thread buffer is safe and saves an allocation per request.
    [ThreadStatic]
    private static DestinationState[]? t_scratch;
    [ThreadStatic]
    private static int[]? t_weights;

    public ClusterState(ClusterSpec spec, DestinationState[] destinations, ILoadBalancer loadBalancer, TimeSpan requestTimeout, long reactivationTicks)
    {
        Spec = spec;
        Destinations = destinations;
        Weights = [.. spec.Destinations.Select(d => d.Weight)];
        LoadBalancer = loadBalancer;
        RequestTimeout = requestTimeout;
        Passive = spec.PassiveHealth ?? PassiveHealthSpec.Default;
        ReactivationTicks = reactivationTicks;
    }

    public ClusterSpec Spec { get; }

    public string Id => Spec.Id;

    public DestinationState[] Destinations { get; }

    /// <summary>This snapshot's weight of each destination (same order as <see cref="Destinations"/>); 0 = drained.</summary>
    public int[] Weights { get; }

    public ILoadBalancer LoadBalancer { get; }

    public TimeSpan RequestTimeout { get; }

    public PassiveHealthSpec Passive { get; }

    /// <summary>The passive reactivation period in TimeProvider timestamp ticks.</summary>
    public long ReactivationTicks { get; }

    public bool HasActiveHealth => Spec.Health is not null;

    /// <summary>Picks a destination among the available ones, skipping <paramref name="exclude"/> (a destination that just failed to connect).</summary>
    public DestinationState? Pick(long now, DestinationState? exclude = null)
    {
        var all = Destinations;
        var scratch = t_scratch;
        var weights = t_weights;
        if (scratch is null || weights is null || scratch.Length < all.Length)
        {
            scratch = t_scratch = new DestinationState[Math.Max(all.Length, 16)];
            weights = t_weights = new int[scratch.Length];
        }

        var count = 0;
        var requireHealthy = HasActiveHealth;
        for (var i = 0; i < all.Length; i++)
        {
            var destination = all[i];
            if (Weights[i] > 0 && !ReferenceEquals(destination, exclude) && destination.IsAvailable(requireHealthy, now))
            {
                weights[count] = Weights[i];
                scratch[count++] = destination;
            }
        }

        if (count == 0)
        {
            return null;
        }

        var picked = LoadBalancer.Pick(scratch.AsSpan(0, count), weights.AsSpan(0, count));
        // Drop references so a removed destination is not kept alive by a thread's scratch buffer.
        Array.Clear(scratch, 0, count);
        return picked;
    }
}
