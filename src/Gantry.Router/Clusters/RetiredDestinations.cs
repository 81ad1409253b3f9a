namespace Gantry.Router.Clusters;

/// <summary>Destination states that a newer route table dropped, kept until no request runs on them so their in-flight counts stay visible to the server while it drains replicas.</summary>
/// <remarks>Requests keep the snapshot they started on, so a dropped destination can still be serving (and, on a retry that
/// started before the swap, even be entered) after the swap. The request path never touches this list: states are added at
/// swap time under the routing lock and pruned when the status report reads them. A state is pruned only when idle and
/// retired for longer than <see cref="Grace"/>, which covers a request that read the old snapshot just before the swap and
/// enters the destination a moment later.</remarks>
public sealed class RetiredDestinations
{
    /// <summary>How long an idle retired state is still watched: longer than a request's connect retries on its old snapshot.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly List<(DestinationState State, long RetiredAt)> _items = [];
    private readonly TimeProvider _time;
    private readonly long _graceTicks;

    public RetiredDestinations(TimeProvider time)
    {
        _time = time;
        _graceTicks = (long)(Grace.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>How many retired states are watched now (diagnostics and tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Adds the destinations of <paramref name="previous"/> that <paramref name="next"/> no longer carries (compared by reference).</summary>
    internal void RetireDropped(IEnumerable<ClusterState> previous, IEnumerable<ClusterState> next)
    {
        var kept = new HashSet<DestinationState>(ReferenceEqualityComparer.Instance);
        foreach (var cluster in next)
        {
            kept.UnionWith(cluster.Destinations);
        }

        var now = _time.GetTimestamp();
        lock (_lock)
        {
            foreach (var cluster in previous)
            {
                foreach (var destination in cluster.Destinations)
                {
                    if (!kept.Contains(destination))
                    {
                        _items.Add((destination, now));
                    }
                }
            }
        }
    }

    /// <summary>Appends every retired state that still has requests in flight, and forgets the idle ones past the grace period.</summary>
    public void CollectBusy(List<DestinationState> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            _items.RemoveAll(item => item.State.InFlight <= 0 && now - item.RetiredAt > _graceTicks);
            foreach (var (state, _) in _items)
            {
                if (state.InFlight > 0)
                {
                    into.Add(state);
                }
            }
        }
    }
}
