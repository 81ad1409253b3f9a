namespace Gantry.Router.Observability;

/// <summary>Counters for one route or one destination: requests by status class, latency, in-flight and bytes.</summary>
/// <remarks>One instance is resolved when a table is compiled and then reached by reference from the hot path,
/// so recording a request is a handful of interlocked operations and no dictionary lookup.</remarks>
public sealed class TrafficMetrics
{
    // Index 0 holds requests that got no HTTP status from upstream (aborted, failed); 1..5 are 1xx..5xx.
    private readonly long[] _byStatusClass = new long[6];
    private long _inFlight;
    private long _bytesIn;
    private long _bytesOut;

    public LatencyHistogram Latency { get; } = new();

    public long InFlight => Volatile.Read(ref _inFlight);

    public long BytesIn => Volatile.Read(ref _bytesIn);

    public long BytesOut => Volatile.Read(ref _bytesOut);

    public void Begin() => Interlocked.Increment(ref _inFlight);

    public void End(int status, long microseconds, long bytesIn, long bytesOut)
    {
        Interlocked.Decrement(ref _inFlight);
        var statusClass = status is >= 100 and < 600 ? status / 100 : 0;
        Interlocked.Increment(ref _byStatusClass[statusClass]);
        Latency.Observe(microseconds);
        if (bytesIn != 0)
        {
            Interlocked.Add(ref _bytesIn, bytesIn);
        }

        if (bytesOut != 0)
        {
            Interlocked.Add(ref _bytesOut, bytesOut);
        }
    }

    public long Requests(int statusClass) => Volatile.Read(ref _byStatusClass[statusClass]);
}
