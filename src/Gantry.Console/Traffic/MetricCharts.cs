using Gantry.Model.Api;

namespace Gantry.Console.Traffic;

/// <summary>
/// The Metrics page's charts from one metrics answer, per service: requests per second by status class, latency
/// percentiles, and each replica's CPU (of its limit) and memory; every chart carries the releases made within the window.
/// Pure: data in, charts out.
/// </summary>
public static class MetricCharts
{
    /// <summary>The windows the page offers, as the API's `since`; the step is the API's default (about 120 points).</summary>
    public static IReadOnlyList<string> Windows { get; } = ["1h", "6h", "24h", "7d"];

    public static IReadOnlyList<(string Service, IReadOnlyList<Chart> Charts)> For(StepSeries steps, IEnumerable<(DateTimeOffset At, long Release)> releases, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var span = (now - steps.Start).TotalSeconds;
        var markers = releases
            .Where(r => r.At >= steps.Start && r.At <= now)
            .Select(r => new ChartMarker(span > 0 ? (r.At - steps.Start).TotalSeconds / span : 1, $"release {r.Release}"))
            .ToList();
        var result = new List<(string, IReadOnlyList<Chart>)>();
        foreach (var service in steps.Services)
        {
            var charts = new List<Chart>
            {
                Make("Requests", "req/s",
                [
                    new("2xx", steps.Values(MetricNames.Requests2xx, service, scale: 1 / steps.Step.TotalSeconds)),
                    new("3xx", steps.Values(MetricNames.Requests3xx, service, scale: 1 / steps.Step.TotalSeconds)),
                    new("4xx", steps.Values(MetricNames.Requests4xx, service, scale: 1 / steps.Step.TotalSeconds)),
                    new("5xx", steps.Values(MetricNames.Requests5xx, service, scale: 1 / steps.Step.TotalSeconds)),
                ]),
                Make("Latency", "ms",
                [
                    new("p50", steps.Values(MetricNames.LatencyP50, service)),
                    new("p95", steps.Values(MetricNames.LatencyP95, service)),
                    new("p99", steps.Values(MetricNames.LatencyP99, service)),
                ]),
            };
            var replicas = steps.Replicas(service).ToList();
            charts.Add(Make("CPU", "% of limit", [.. replicas.Select(r => new ChartLine(r, steps.Values(MetricNames.Cpu, service, r, 100)))]));
            charts.Add(Make("Memory", "MiB", [.. replicas.Select(r => new ChartLine(r, steps.Values(MetricNames.MemoryBytes, service, r, 1.0 / (1 << 20))))]));
            result.Add((service, charts));
        }
        return result;

        Chart Make(string title, string unit, IReadOnlyList<ChartLine> lines) =>
            new(title, unit, SvgPlot.NiceMax(lines.SelectMany(l => l.Values).OfType<double>().DefaultIfEmpty(0).Max()), lines, markers, steps.Start, now);
    }
}
