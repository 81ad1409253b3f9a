namespace Gantry.Router.Forwarder;

/// <summary>Upstream timeouts for the plain front's requests. The requests due in the same tenth of a second share one
/// cancellation source, which is armed once.</summary>
/// <remarks>
/// A source per request (<see cref="TimeoutSourcePool"/>) takes the runtime's timer-queue lock three times per request: to
/// arm the timer, to disarm it once the response head is in, and to reset it for the next request. On the loops that cost
/// about 1.7 % of the router's CPU (docs/decisions/0037). Here a request reads the token of its slot, and only the first
/// request due in a slot makes a source and arms it.
/// <para>A request times out between its timeout and one <see cref="Slot"/> later.</para>
/// <para>At rest there are no slots and no timers. A slot's source fires once and is then dropped.</para>
/// </remarks>
public sealed class TimeoutBuckets(TimeProvider time)
{
    /// <summary>How finely deadlines are told apart.</summary>
    public static readonly TimeSpan Slot = TimeSpan.FromMilliseconds(100);

    private readonly long _ticksPerSlot = Math.Max(1, time.TimestampFrequency / 10);
    private readonly Lock _lock = new();
    private readonly Dictionary<long, CancellationToken> _slots = [];
    private Latest? _latest;

    /// <summary>Slots whose source has not been dropped yet (for tests; at rest it falls to 0 with the next request).</summary>
    public int Live
    {
        get
        {
            lock (_lock)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>A token cancelled no sooner than <paramref name="timeout"/> from now and no later than one <see cref="Slot"/>
    /// after that; <see cref="CancellationToken.None"/> for an infinite timeout.</summary>
    public CancellationToken TokenFor(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan || timeout >= TimeSpan.FromDays(1))
        {
            return CancellationToken.None;
        }

        var now = time.GetTimestamp();
        var due = now + (long)(Math.Max(0, timeout.TotalSeconds) * time.TimestampFrequency);
        // The slot that ends after the deadline: its source fires at that end.
        var slot = (due / _ticksPerSlot) + 1;
        var latest = Volatile.Read(ref _latest);
        return latest is not null && latest.Slot == slot ? latest.Token : Arm(slot, now);
    }

    private CancellationToken Arm(long slot, long now)
    {
        lock (_lock)
        {
            if (!_slots.TryGetValue(slot, out var token))
            {
                var current = now / _ticksPerSlot;
                foreach (var past in _slots.Keys)
                {
                    if (past <= current)
                    {
                        _slots.Remove(past);
                    }
                }

                var delay = TimeSpan.FromSeconds((double)((slot * _ticksPerSlot) - now) / time.TimestampFrequency);
                // Not disposed: once its timer has fired, nothing holds the source and the collector takes it.
                token = new CancellationTokenSource(delay, time).Token;
                _slots[slot] = token;
            }

            Volatile.Write(ref _latest, new Latest(slot, token));
            return token;
        }
    }

    private sealed record Latest(long Slot, CancellationToken Token);
}
