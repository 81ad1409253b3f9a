using System.Threading.Channels;

namespace Gantry.Controllers.Runtime;

/// <summary>
/// A controller work queue (controller-runtime's contract): a key is queued at most once, is never
/// processed by two workers at the same time, and a key added while it is being processed is
/// processed again afterwards. Delayed adds use the <see cref="TimeProvider"/>.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable where TKey : notnull
{
    private readonly Channel<TKey> _ready = Channel.CreateUnbounded<TKey>();
    private readonly HashSet<TKey> _queued = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly HashSet<TKey> _dirty = [];
    private readonly Dictionary<TKey, (ITimer Timer, long DueAt)> _timers = [];
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public WorkQueue(TimeProvider time) => _time = time;

    public void Add(TKey key)
    {
        lock (_lock)
        {
            if (_processing.Contains(key))
            {
                _dirty.Add(key);
                return;
            }
            if (_queued.Add(key))
            {
                _ready.Writer.TryWrite(key);
            }
        }
    }

    /// <summary>
    /// Adds the key after a delay. A pending delayed add for the same key is replaced only when the new one
    /// fires sooner: a 30 s backoff must not swallow a 500 ms requeue, and a later wake must not postpone a sooner one.
    /// </summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (_lock)
        {
            var dueAt = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
            if (_timers.TryGetValue(key, out var pending))
            {
                if (pending.DueAt <= dueAt)
                {
                    return;
                }
                pending.Timer.Dispose();
                _timers.Remove(key);
            }
            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                lock (_lock)
                {
                    // A replaced timer may still fire once (disposal races the callback): only the current one adds.
                    if (!_timers.TryGetValue(key, out var current) || !ReferenceEquals(current.Timer, timer))
                    {
                        return;
                    }
                    _timers.Remove(key);
                }
                timer?.Dispose();
                Add(key);
            }, null, delay, Timeout.InfiniteTimeSpan);
            _timers[key] = (timer, dueAt);
        }
    }

    /// <summary>When the pending delayed add of <paramref name="key"/> fires, or null when none is pending.</summary>
    public TimeSpan? PendingDelay(TKey key)
    {
        lock (_lock)
        {
            return _timers.TryGetValue(key, out var pending) ? _time.GetElapsedTime(_time.GetTimestamp(), pending.DueAt) : null;
        }
    }

    /// <summary>Waits for the next key; the caller must call <see cref="Done"/> when finished with it.</summary>
    public async ValueTask<TKey> TakeAsync(CancellationToken ct)
    {
        while (true)
        {
            var key = await _ready.Reader.ReadAsync(ct).ConfigureAwait(false);
            lock (_lock)
            {
                _queued.Remove(key);
                _processing.Add(key);
                return key;
            }
        }
    }

    public void Done(TKey key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (_dirty.Remove(key) && _queued.Add(key))
            {
                _ready.Writer.TryWrite(key);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (timer, _) in _timers.Values)
            {
                timer.Dispose();
            }
            _timers.Clear();
        }
        _ready.Writer.TryComplete();
    }
}
