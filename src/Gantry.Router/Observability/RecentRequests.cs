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
