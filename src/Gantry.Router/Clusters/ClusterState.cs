using Gantry.Router.Contracts.Routes;
using Gantry.Router.LoadBalancing;

namespace Gantry.Router.Clusters;

/// <summary>The compiled, immutable view of one cluster inside a route snapshot: its destinations' shared state and its balancer.</summary>
public sealed class ClusterState
{
    /// <summary>The destination label that names a destination's release group for sticky splits.</summary>
    public const string ReleaseLabel = "release";

    // Scratch space for the available subset; Pick is synchronous, so a per-thread buffer is safe and saves an allocation per request.
    [ThreadStatic]
    private static DestinationState[]? t_scratch;
    [ThreadStatic]
    private static int[]? t_weights;
    [ThreadStatic]
    private static int[]? t_groups;

    // Sticky split: the group index of each destination (same order as Destinations), or null when the cluster does not split.
    private readonly int[]? _groupOf;

    public ClusterState(ClusterSpec spec, DestinationState[] destinations, ILoadBalancer loadBalancer, TimeSpan requestTimeout, long reactivationTicks)
    {
        Spec = spec;
        Destinations = destinations;
        Weights = [.. spec.Destinations.Select(d => d.Weight)];
        LoadBalancer = loadBalancer;
        RequestTimeout = requestTimeout;
        Passive = spec.PassiveHealth ?? PassiveHealthSpec.Default;
        ReactivationTicks = reactivationTicks;
        if (!string.IsNullOrEmpty(spec.StickyCookie))
        {
            var release = spec.Destinations.Select(d => d.Labels.TryGetValue(ReleaseLabel, out var r) ? r : "").ToArray();
            // Ordinal order fixes each group's slice of the hash range, so with two groups a growing canary only ever gains
            // clients: a client whose point lies in the canary's slice stays there as the slice widens.
            string[] groups = [.. release.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            if (groups.Length > 1)
            {
                StickyGroups = groups;
                _groupOf = [.. release.Select(r => Array.IndexOf(groups, r))];
            }
        }
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

    /// <summary>True when requests are split between release groups by the cookie <see cref="ClusterSpec.StickyCookie"/>:
    /// it is set and the destinations carry more than one "release" label value (a missing label is a group of its own).</summary>
    public bool IsSticky => _groupOf is not null;

    /// <summary>The release groups of a sticky split in hash-range order; empty when <see cref="IsSticky"/> is false.</summary>
    public IReadOnlyList<string> StickyGroups { get; } = [];

    /// <summary>Picks a destination among the available ones, skipping up to two that already failed this request.</summary>
    /// <param name="now">TimeProvider timestamp, for passive ejections.</param>
    /// <param name="stickyHash">The client's cookie hash (<see cref="StickyCookie"/>) when the cluster is sticky: it picks the
    /// release group in proportion to each group's available weight, then the balancer picks within the group.</param>
    /// <param name="exclude">A destination that failed this request.</param>
    /// <param name="exclude2">Another destination that failed this request.</param>
    public DestinationState? Pick(long now, ulong? stickyHash = null, DestinationState? exclude = null, DestinationState? exclude2 = null)
    {
        var all = Destinations;
        var scratch = t_scratch;
        var weights = t_weights;
        var groups = t_groups;
        if (scratch is null || weights is null || groups is null || scratch.Length < all.Length)
        {
            scratch = t_scratch = new DestinationState[Math.Max(all.Length, 16)];
            weights = t_weights = new int[scratch.Length];
            groups = t_groups = new int[scratch.Length];
        }

        var count = 0;
        var requireHealthy = HasActiveHealth;
        for (var i = 0; i < all.Length; i++)
        {
            var destination = all[i];
            if (Weights[i] > 0 && !ReferenceEquals(destination, exclude) && !ReferenceEquals(destination, exclude2)
                && destination.IsAvailable(requireHealthy, now))
            {
                weights[count] = Weights[i];
                groups[count] = _groupOf is null ? 0 : _groupOf[i];
                scratch[count++] = destination;
            }
        }

        if (count == 0)
        {
            // Every routable destination is passively ejected (an overloaded service answering errors, or refusing
            // connections, trips its ejection everywhere at once): refusing everything for the reactivation period
            // turns an overload into a total outage, so traffic goes to them anyway (Envoy's panic mode). Active health
            // still decides: a destination its probe found failing is never used.
            for (var i = 0; i < all.Length; i++)
            {
                var destination = all[i];
                if (Weights[i] > 0 && !ReferenceEquals(destination, exclude) && !ReferenceEquals(destination, exclude2)
                    && destination.IsAvailable(requireHealthy, long.MaxValue)) // as if every ejection had ended
                {
                    weights[count] = Weights[i];
                    groups[count] = _groupOf is null ? 0 : _groupOf[i];
                    scratch[count++] = destination;
                }
            }

            if (count == 0)
            {
                return null;
            }
        }

        var candidates = count;
        if (stickyHash is { } hash && _groupOf is not null)
        {
            candidates = KeepStickyGroup(hash, scratch, weights, groups, count);
        }

        var picked = LoadBalancer.Pick(scratch.AsSpan(0, candidates), weights.AsSpan(0, candidates));
        // Drop references so a removed destination is not kept alive by a thread's scratch buffer.
        Array.Clear(scratch, 0, count);
        return picked;
    }

    /// <summary>Chooses the group whose slice of [0, total available weight) holds the client's point and moves its members to
    /// the front of the scratch arrays; returns how many there are (all of them if the group has none, which cannot happen
    /// while every group weight is the sum of its available members, but keeps the fallback explicit).</summary>
    private int KeepStickyGroup(ulong hash, DestinationState[] scratch, int[] weights, int[] groups, int count)
    {
        var groupCount = StickyGroups.Count;
        Span<long> groupWeights = groupCount <= 32 ? stackalloc long[groupCount] : new long[groupCount];
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            groupWeights[groups[i]] += weights[i];
            total += weights[i];
        }

        var point = StickyCookie.Point(hash, total);
        var chosen = 0;
        for (long upper = 0; chosen < groupCount; chosen++)
        {
            upper += groupWeights[chosen];
            if (point < upper)
            {
                break;
            }
        }

        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (groups[i] == chosen)
            {
                scratch[kept] = scratch[i];
                weights[kept] = weights[i];
                kept++;
            }
        }

        return kept == 0 ? count : kept;
    }
}
