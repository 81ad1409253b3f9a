using Gantry.Model.Api;

namespace Gantry.Console.Traffic;

/// <summary>
/// An app's traffic over the last minutes for the Apps page: requests per second by step (the sparkline), the window's
/// average rate, the share of 5xx answers, and the p95 latency of its worst step (a pessimist's figure: one slow step
/// shows). Null figures mean "no requests seen", not zero.
/// </summary>
public sealed record TrafficSummary(IReadOnlyList<double?> RequestsPerSecond, double? RatePerSecond, double? ErrorShare, double? P95Ms)
{
    /// <summary>The window the Apps page shows, and its step (30 points).</summary>
    public const string Window = "15m";

    public const string Step = "30s";

    public static TrafficSummary From(AppMetricsView view, DateTimeOffset now)
    {
        var steps = new StepSeries(view, now);
        var rate = steps.RequestsPerSecond();
        var total = Sum(steps.Values(MetricNames.Requests2xx)) + Sum(steps.Values(MetricNames.Requests3xx))
            + Sum(steps.Values(MetricNames.Requests4xx)) + Sum(steps.Values(MetricNames.Requests5xx));
        var errors = Sum(steps.Values(MetricNames.Requests5xx));
        var p95 = steps.Highest(MetricNames.LatencyP95).OfType<double>().DefaultIfEmpty(double.NaN).Max();
        var seen = rate.Any(r => r is not null);
        return new TrafficSummary(
            rate,
            seen ? total / (steps.Count * steps.Step.TotalSeconds) : null,
            total > 0 ? errors / total : null,
            double.IsNaN(p95) ? null : p95);
    }

    private static double Sum(double?[] values) => values.OfType<double>().Sum();
}
