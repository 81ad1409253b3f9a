using Gantry.Router.Contracts.Requests;


namespace Gantry.Server.Requests;

/// <summary>The most recent requests of one app, oldest overwritten first, in a fixed-size array.</summary>
/// <remarks>A plain lock: ingest is one batch per router every two seconds and reads are CLI calls, so contention is negligible.</remarks>
public sealed class AppRequestRing
{
    private readonly RequestReport?[] _slots;
    private readonly Lock _lock = new();
    private long _next;

    public AppRequestRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _slots = new RequestReport?[capacity];
    }

    public void Add(RequestReport report)
    {
        lock (_lock)
        {
            _slots[(int)(_next++ % _slots.Length)] = report;
        }
    }

    /// <summary>Every record held, newest first.</summary>
    public List<RequestReport> NewestFirst()
    {
        lock (_lock)
        {
            var count = (int)Math.Min(_next, _slots.Length);
            var list = new List<RequestReport>(count);
            for (var i = 1; i <= count; i++)
            {
                list.Add(_slots[(int)((_next - i) % _slots.Length)]!);
            }

            return list;
        }
    }
}
