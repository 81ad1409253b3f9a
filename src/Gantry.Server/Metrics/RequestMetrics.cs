using Gantry.Model.Api;
using Gantry.Server.Requests;

namespace Gantry.Server.Metrics;

/// <summary>Turns one service's requests of one interval into its samples, without I/O.</summary>
public static class RequestMetrics
{
    /// <summary>
    /// Counts by status class (zeros when <paramref name="window"/> is null: a routed service that served nothing this
    /// interval, so a chart shows the drop instead of a gap) and, when any request came, p50/p95/p99 of their total times
    /// in milliseconds (nearest rank, as <see cref="RequestLog.Percentile"/>).
    /// </summary>
    public static IEnumerable<MetricSample> From(string app, string service, RequestWindow? window)
    {
        SeriesKey Key(string metric) => new(app, service, "", metric);

        yield return new(Key(MetricNames.Requests2xx), MetricKind.Counter, window?.Status2xx ?? 0);
        yield return new(Key(MetricNames.Requests3xx), MetricKind.Counter, window?.Status3xx ?? 0);
        yield return new(Key(MetricNames.Requests4xx), MetricKind.Counter, window?.Status4xx ?? 0);
        yield return new(Key(MetricNames.Requests5xx), MetricKind.Counter, window?.Status5xx ?? 0);
        if (window is not { LatenciesMicroseconds.Count: > 0 })
        {
            yield break;
        }
        var sorted = window.LatenciesMicroseconds.ToArray();
        Array.Sort(sorted);
        yield return new(Key(MetricNames.LatencyP50), MetricKind.Gauge, RequestLog.Percentile(sorted, 0.50) / 1000.0);
        yield return new(Key(MetricNames.LatencyP95), MetricKind.Gauge, RequestLog.Percentile(sorted, 0.95) / 1000.0);
        yield return new(Key(MetricNames.LatencyP99), MetricKind.Gauge, RequestLog.Percentile(sorted, 0.99) / 1000.0);
    }

    /// <summary>Requests in flight on a service's replicas, summed over the reporting routers (see <see cref="Releases.RouterFleet.InFlight"/>).</summary>
    public static MetricSample InFlight(string app, string service, IEnumerable<string> replicas, IReadOnlyDictionary<string, int> inFlight)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(inFlight);
        return new(new SeriesKey(app, service, "", MetricNames.InFlight), MetricKind.Gauge, replicas.Sum(r => inFlight.GetValueOrDefault(r)));
    }
}
