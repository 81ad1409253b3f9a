namespace Gantry.Server.Metrics;

/// <summary>
/// One service's requests within one sampling interval, as the routers reported them: counts by status class and the
/// total times, kept up to <see cref="MaxLatencies"/> by reservoir sampling (an even sample of the interval, so its
/// percentiles stay fair under a flood while memory stays bounded). Filled under <see cref="RequestTally"/>'s lock, then
/// handed over whole.
/// </summary>
public sealed class RequestWindow
{
    /// <summary>Latencies kept per service and interval: percentiles of 4,096 samples are within a fraction of a percent.</summary>
    public const int MaxLatencies = 4096;

    private readonly List<long> _latencies = [];

    public long Status2xx { get; private set; }

    public long Status3xx { get; private set; }

    public long Status4xx { get; private set; }

    public long Status5xx { get; private set; }

    /// <summary>Every request counted, whatever its status (a client that left before an answer has status 0).</summary>
    public long Requests { get; private set; }

    /// <summary>Total times in microseconds: every request's, or an even sample of them past <see cref="MaxLatencies"/>.</summary>
    public IReadOnlyList<long> LatenciesMicroseconds => _latencies;

    public void Add(int status, long totalMicroseconds, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Requests++;
        switch (status / 100)
        {
            case 2:
                Status2xx++;
                break;
            case 3:
                Status3xx++;
                break;
            case 4:
                Status4xx++;
                break;
            case 5:
                Status5xx++;
                break;
        }
        if (_latencies.Count < MaxLatencies)
        {
            _latencies.Add(totalMicroseconds);
        }
        else if (random.NextInt64(Requests) is var slot && slot < MaxLatencies)
        {
            _latencies[(int)slot] = totalMicroseconds;
        }
    }
}
