namespace Gantry.Router.Observability;

/// <summary>A lock-free latency histogram with Prometheus' default buckets, updated with two interlocked adds per request.</summary>
/// <remarks>Each bucket keeps its own count and its own sum (not cumulative, and no global sum), so a request touches one
/// bucket's two cells. The per-bucket sums let the exporter hand the histogram to prometheus-net as "count c at the
/// bucket's mean": the mean lies inside the bucket, so prometheus-net's buckets, count and sum come out exact
/// (see <see cref="PrometheusExporter"/>). prometheus-net's own Observe is not used on the hot path: it adds a CAS loop
/// on a double sum and exemplar bookkeeping per call, and its labelled children are looked up by label values.</remarks>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds in seconds (Prometheus client defaults); +Inf is the last slot.</summary>
    public static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly long[] BoundsMicroseconds = [5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000];

    private readonly long[] _counts = new long[Bounds.Length + 1];
    private readonly long[] _sumsMicroseconds = new long[Bounds.Length + 1];

    public void Observe(long microseconds)
    {
        var i = 0;
        while (i < BoundsMicroseconds.Length && microseconds > BoundsMicroseconds[i])
        {
            i++;
        }

        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumsMicroseconds[i], microseconds);
    }

    /// <summary>Per bucket (length Bounds+1, the last is +Inf): how many requests fell in it and their mean in seconds, clamped into
    /// the bucket (a request recorded between the two reads could otherwise move the mean across a bound).</summary>
    public IReadOnlyList<(long Count, double MeanSeconds)> Buckets()
    {
        var buckets = new (long, double)[_counts.Length];
        for (var i = 0; i < _counts.Length; i++)
        {
            var count = Volatile.Read(ref _counts[i]);
            if (count == 0)
            {
                continue;
            }

            var lower = i == 0 ? 0 : BoundsMicroseconds[i - 1] + 1;
            var upper = i < BoundsMicroseconds.Length ? BoundsMicroseconds[i] : long.MaxValue;
            var mean = Math.Clamp((double)Volatile.Read(ref _sumsMicroseconds[i]) / count, lower, upper);
            buckets[i] = (count, mean / 1_000_000.0);
        }

        return buckets;
    }
}
