namespace Gantry.Router.Observability;

/// <summary>A lock-free latency histogram with Prometheus' default buckets, updated with one interlocked add per request.</summary>
/// <remarks>Counts are stored per bucket (not cumulative) so a request touches one counter; the exporter sums them up.</remarks>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds in seconds (Prometheus client defaults); +Inf is the last slot.</summary>
    public static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly long[] BoundsMicroseconds = [5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000];

    private readonly long[] _counts = new long[Bounds.Length + 1];
    private long _sumMicroseconds;

    public void Observe(long microseconds)
    {
        var i = 0;
        while (i < BoundsMicroseconds.Length && microseconds > BoundsMicroseconds[i])
        {
            i++;
        }

        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMicroseconds, microseconds);
    }

    /// <summary>Copies cumulative bucket counts (length Bounds+1, last is +Inf = total) and the sum in seconds.</summary>
    public (long[] Cumulative, double SumSeconds) Snapshot()
    {
        var cumulative = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Volatile.Read(ref _counts[i]);
            cumulative[i] = running;
        }

        return (cumulative, Volatile.Read(ref _sumMicroseconds) / 1_000_000.0);
    }
}
