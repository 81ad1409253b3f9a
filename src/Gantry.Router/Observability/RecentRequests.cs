namespace Gantry.Router.Observability;

/// <summary>A fixed-size ring of the most recent request records, for /requests?slowest=N.</summary>
/// <remarks>Writers claim a slot with one interlocked increment and overwrite it; readers copy the array and sort the copy.
/// A reader may see a slot mid-replacement, which only means it shows the older or newer record: both are whole objects.</remarks>
public sealed class RecentRequests
{
    private readonly RequestRecord?[] _slots;
    private long _next = -1;

    public RecentRequests(int capacity = 4096)
    {
        _slots = new RequestRecord?[capacity];
    }

    public void Add(RequestRecord record)
    {
        var index = Interlocked.Increment(ref _next);
        Volatile.Write(ref _slots[(int)(index % _slots.Length)], record);
    }

    /// <summary>How many records were ever added: a cursor for <see cref="CopySince"/>.</summary>
    public long Position => Volatile.Read(ref _next) + 1;

    /// <summary>Copies the records added at or after <paramref name="cursor"/> (at most the newest <paramref name="max"/>) into
    /// <paramref name="into"/>, advances the cursor, and returns how many were lost: overwritten by the ring, or over the max.</summary>
    /// <remarks>Used by the server reporter off the request path. A slot claimed but not yet written may still hold its older
    /// record; that rare duplicate is accepted rather than adding any synchronization to <see cref="Add"/>.</remarks>
    public long CopySince(ref long cursor, int max, List<RequestRecord> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var end = Position;
        var start = Math.Max(cursor, Math.Max(0, end - _slots.Length));
        var lost = start - cursor;
        if (end - start > max)
        {
            lost += end - start - max;
            start = end - max;
        }

        for (var i = start; i < end; i++)
        {
            if (Volatile.Read(ref _slots[(int)(i % _slots.Length)]) is { } record)
            {
                into.Add(record);
            }
        }

        cursor = end;
        return Math.Max(0, lost);
    }

    /// <summary>The <paramref name="count"/> slowest records among the recent ones, slowest first.</summary>
    public IReadOnlyList<RequestRecord> Slowest(int count)
    {
        var copy = new List<RequestRecord>(_slots.Length);
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Volatile.Read(ref _slots[i]) is { } record)
            {
                copy.Add(record);
            }
        }

        copy.Sort(static (a, b) => b.TotalMicroseconds.CompareTo(a.TotalMicroseconds));
        return copy.Count > count ? copy.GetRange(0, count) : copy;
    }
}
