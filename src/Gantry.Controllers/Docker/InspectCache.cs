using Gantry.Controllers.Engine;

namespace Gantry.Controllers.Docker;

/// <summary>
/// The engine view kept warm: the last inspection of each container, reused while nothing says it changed. A
/// container event (start, die, health_status...) for an id drops its entry; so does a listing whose state or health
/// disagrees with it, an age over <see cref="MaxAge"/>, and any time the event stream is not being read. A pass after
/// a rollback then lists the containers (one call) and inspects only those that changed, instead of all of them.
/// </summary>
internal sealed class InspectCache(TimeProvider time)
{
    /// <summary>A safety net for anything an event did not announce; passes in a burst (a deploy, a rollback) are well inside it.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (ObservedContainer Container, long Stamp, long At)> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _stamps = new(StringComparer.Ordinal);
    private int _watchers;

    /// <summary>While no event stream is read, nothing would invalidate an entry: the cache is bypassed.</summary>
    public bool IsLive => Volatile.Read(ref _watchers) > 0;

    public void WatchStarted() => Interlocked.Increment(ref _watchers);

    public void WatchEnded()
    {
        Interlocked.Decrement(ref _watchers);
        lock (_lock)
        {
            _entries.Clear();
        }
    }

    /// <summary>The stamp to hand back to <see cref="Store"/>: an invalidation in between makes that store a no-op.</summary>
    public long StampOf(string id)
    {
        lock (_lock)
        {
            return _stamps.GetValueOrDefault(id);
        }
    }

    public ObservedContainer? TryGet(string id, string listedState, string listedStatus)
    {
        if (!IsLive)
        {
            return null;
        }
        lock (_lock)
        {
            if (!_entries.TryGetValue(id, out var entry))
            {
                return null;
            }
            var fresh = entry.Stamp == _stamps.GetValueOrDefault(id)
                && time.GetElapsedTime(entry.At) < MaxAge
                && entry.Container.State == listedState
                && entry.Container.Health == HealthOf(listedStatus);
            if (!fresh)
            {
                _entries.Remove(id);
                return null;
            }
            return entry.Container;
        }
    }

    public void Store(string id, ObservedContainer container, long stamp)
    {
        if (!IsLive)
        {
            return;
        }
        lock (_lock)
        {
            if (_stamps.GetValueOrDefault(id) == stamp)
            {
                _entries[id] = (container, stamp, time.GetTimestamp());
            }
        }
    }

    public void Invalidate(string id, bool destroyed)
    {
        lock (_lock)
        {
            _entries.Remove(id);
            if (destroyed)
            {
                _stamps.Remove(id);
            }
            else
            {
                _stamps[id] = _stamps.GetValueOrDefault(id) + 1;
            }
        }
    }

    /// <summary>The health the engine's one-line status shows ("Up 5 minutes (healthy)"), as inspect names it.</summary>
    internal static string HealthOf(string status) =>
        status.Contains("(healthy)", StringComparison.Ordinal) ? "healthy"
        : status.Contains("(unhealthy)", StringComparison.Ordinal) ? "unhealthy"
        : status.Contains("(health: starting)", StringComparison.Ordinal) ? "starting"
        : "none";
}
