namespace Gantry.Server.Metrics;

/// <summary>
/// One series' two tiers: 10 s slots and the minutes rolled up from them as each slot closes, so a minute is exact
/// (its min, max, sum, count and last come from its own slots) and costs nothing to query. The slot still taking
/// samples and the minute still taking slots are held open beside the queues, because only the newest point changes.
/// </summary>
internal sealed class SeriesState(SeriesKey key, MetricKind kind)
{
    public const int SlotSeconds = 10;
    public const int MinuteSeconds = 60;

    private readonly Queue<RawPoint> _raw = new();
    private readonly Queue<Bucket> _minutes = new();
    private RawPoint? _open;
    private Bucket? _openMinute;
    private long _lastClosedSlot = long.MinValue;
    private long _lastClosedMinute = long.MinValue;

    public SeriesKey Key => key;

    public MetricKind Kind => kind;

    public int RawCount => _raw.Count + (_open is null ? 0 : 1);

    public int MinuteCount => _minutes.Count + (_openMinute is null ? 0 : 1);

    public bool IsEmpty => RawCount == 0 && MinuteCount == 0;

    /// <summary>Adds a sample to its slot; false when the slot has already closed (a late or out-of-order sample).</summary>
    public bool Add(long at, double value)
    {
        var slot = Floor(at, SlotSeconds);
        if (_open is { } open)
        {
            if (slot == open.At)
            {
                _open = open with { Value = kind == MetricKind.Counter ? open.Value + value : value };
                return true;
            }
            if (slot < open.At)
            {
                return false;
            }
            Close(open);
        }
        if (slot <= _lastClosedSlot)
        {
            return false;
        }
        _open = new RawPoint(slot, value);
        return true;
    }

    /// <summary>A minute restored from a snapshot: final, so slots replayed into it later do not count it twice.</summary>
    public void RestoreMinute(Bucket minute)
    {
        if (minute.Start > _lastClosedMinute && _open is null && _raw.Count == 0)
        {
            _minutes.Enqueue(minute);
            _lastClosedMinute = minute.Start;
        }
    }

    /// <summary>Closes the slot and minute that time has passed and drops what is older than each tier keeps.</summary>
    public void Prune(long now, long rawCutoff, long minuteCutoff)
    {
        if (_open is { } open && open.At + SlotSeconds <= now)
        {
            Close(open);
            _open = null;
        }
        if (_openMinute is { } minute && minute.Start + MinuteSeconds <= now && _open is null)
        {
            CloseMinute(minute);
        }
        while (_raw.TryPeek(out var first) && first.At < rawCutoff)
        {
            _raw.Dequeue();
        }
        while (_minutes.TryPeek(out var first) && first.Start < minuteCutoff)
        {
            _minutes.Dequeue();
        }
        if (_openMinute is { } stale && stale.Start < minuteCutoff)
        {
            _openMinute = null;
        }
    }

    /// <summary>When the oldest point of either tier starts (unix seconds); null when the series is empty.</summary>
    public long? OldestStart
    {
        get
        {
            long? minute = _minutes.TryPeek(out var m) ? m.Start : _openMinute?.Start;
            long? raw = _raw.TryPeek(out var r) ? r.At : _open?.At;
            return minute is null ? raw : raw is null ? minute : Math.Min(minute.Value, raw.Value);
        }
    }

    /// <summary>Drops the oldest point; a minute before a slot of the same time, since the slots still carry its detail.</summary>
    public void DropOldest()
    {
        long? minute = _minutes.TryPeek(out var m) ? m.Start : _openMinute?.Start;
        long? raw = _raw.TryPeek(out var r) ? r.At : _open?.At;
        if (minute is { } start && (raw is null || start <= raw))
        {
            if (!_minutes.TryDequeue(out _))
            {
                _openMinute = null;
            }
        }
        else if (!_raw.TryDequeue(out _))
        {
            _open = null;
        }
    }

    /// <summary>The 10 s slots from <paramref name="from"/>, the open one included.</summary>
    public IEnumerable<RawPoint> Slots(long from) =>
        _raw.Concat(_open is { } open ? [open] : []).Where(p => p.At >= from);

    /// <summary>The minutes from <paramref name="from"/>, the one in progress included with its open slot.</summary>
    public IEnumerable<Bucket> Minutes(long from)
    {
        foreach (var minute in _minutes.Where(m => m.Start >= from))
        {
            yield return minute;
        }
        var current = _openMinute;
        if (_open is { } open)
        {
            var slot = Bucket.Of(Floor(open.At, MinuteSeconds), open.Value);
            if (current is { } c && c.Start != slot.Start)
            {
                if (c.Start >= from)
                {
                    yield return c;
                }
                current = null;
            }
            current = current is { } same ? same.Merge(slot) : slot;
        }
        if (current is { } last && last.Start >= from)
        {
            yield return last;
        }
    }

    /// <summary>The closed minutes up to and including <paramref name="minute"/>: what a snapshot cannot rebuild from its slots.</summary>
    public IEnumerable<Bucket> ClosedMinutesThrough(long minute) => _minutes.Where(m => m.Start <= minute);

    public static long Floor(long seconds, int span) => seconds - (((seconds % span) + span) % span);

    private void Close(RawPoint slot)
    {
        _raw.Enqueue(slot);
        _lastClosedSlot = slot.At;
        var minute = Floor(slot.At, MinuteSeconds);
        if (_openMinute is { } open && open.Start != minute)
        {
            CloseMinute(open);
        }
        if (minute <= _lastClosedMinute)
        {
            return; // restored from a snapshot as a whole minute
        }
        var bucket = Bucket.Of(minute, slot.Value);
        _openMinute = _openMinute is { } current ? current.Merge(bucket) : bucket;
    }

    private void CloseMinute(Bucket minute)
    {
        _minutes.Enqueue(minute);
        _lastClosedMinute = minute.Start;
        _openMinute = null;
    }
}
