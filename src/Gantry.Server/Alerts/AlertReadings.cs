using Gantry.Model.Api;
using Gantry.Server.Metrics;

namespace Gantry.Server.Alerts;

/// <summary>
/// The newest sampler pass of a service's kept series turned into the values user rules compare (pure): per replica the
/// newest point of each replica, per service the routers' newest slot. A routed service without requests in the window
/// reads rps 0 and in_flight 0 (quiet is a value), and has no error rate or latency (nothing to measure).
/// </summary>
public static class AlertReadings
{
    private static readonly Dictionary<string, string> PerReplica = new(StringComparer.Ordinal)
    {
        [MetricNames.Cpu] = "cpu",
        [MetricNames.Memory] = "memory",
        [MetricNames.MemoryBytes] = "memory_bytes",
        [MetricNames.Restarts] = "restarts",
    };

    private static readonly Dictionary<string, string> Latencies = new(StringComparer.Ordinal)
    {
        [MetricNames.LatencyP50] = "p50",
        [MetricNames.LatencyP95] = "p95",
        [MetricNames.LatencyP99] = "p99",
    };

    public static IReadOnlyDictionary<string, MetricReading> From(IEnumerable<MetricSeriesPoints> series, bool routed, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(series);
        var values = new Dictionary<string, MetricReading>(StringComparer.Ordinal);
        var perService = new List<MetricSeriesPoints>();
        foreach (var s in series.Where(s => s.Points.Count > 0))
        {
            if (s.Key.Replica.Length == 0)
            {
                perService.Add(s);
            }
            else if (PerReplica.TryGetValue(s.Key.Metric, out var name))
            {
                var value = s.Points[^1].Last;
                values[name] = values.TryGetValue(name, out var seen)
                    ? new MetricReading(
                        value > seen.Highest ? value : seen.Highest, value > seen.Highest ? s.Key.Replica : seen.HighestReplica,
                        value < seen.Lowest ? value : seen.Lowest, value < seen.Lowest ? s.Key.Replica : seen.LowestReplica)
                    : new MetricReading(value, s.Key.Replica, value, s.Key.Replica);
            }
        }
        if (!routed)
        {
            return values;
        }
        // The routers' newest slot: the same instant across the request series, so the counts add up to one slot.
        var newest = perService.Select(s => s.Points[^1].At).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        double requests = 0, errors = 0, inFlight = 0;
        foreach (var s in perService)
        {
            var point = s.Points[^1];
            if (point.At != newest)
            {
                continue;
            }
            switch (s.Key.Metric)
            {
                case MetricNames.Requests2xx or MetricNames.Requests3xx or MetricNames.Requests4xx:
                    requests += point.Sum;
                    break;
                case MetricNames.Requests5xx:
                    requests += point.Sum;
                    errors += point.Sum;
                    break;
                case MetricNames.InFlight:
                    inFlight = point.Last;
                    break;
                default:
                    if (Latencies.TryGetValue(s.Key.Metric, out var latency))
                    {
                        values[latency] = MetricReading.Of(point.Last / 1000);
                    }
                    break;
            }
        }
        values["rps"] = MetricReading.Of(requests / step.TotalSeconds);
        values["in_flight"] = MetricReading.Of(inFlight);
        if (requests > 0)
        {
            values["error_rate"] = MetricReading.Of(errors / requests);
        }
        else
        {
            // No request in the slot: a latency carried from an older slot is not the service's latency now.
            foreach (var latency in Latencies.Values)
            {
                values.Remove(latency);
            }
        }
        return values;
    }
}
