using System.Globalization;

namespace Gantry.LoadGen;

/// <summary>Formats a <see cref="LoadReport"/> as the short text the console entry and benches print.</summary>
public static class LoadReportText
{
    /// <summary>Served, failed, latency percentiles, throughput, markers and the first failures, one line each.</summary>
    public static IReadOnlyList<string> Summary(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"requests: {report.Total} in {report.Elapsed.TotalSeconds:0.0} s ({report.RequestsPerSecond:0} req/s); served {report.Served}, failed {report.Failed}"),
            string.Create(CultureInfo.InvariantCulture,
                $"latency: p50 {Ms(report.Percentile(0.50))}, p99 {Ms(report.Percentile(0.99))}, max {Ms(report.Percentile(1.0))}"),
        };
        var markers = report.MarkerCounts();
        if (markers.Count > 0)
        {
            lines.Add("markers: " + string.Join(", ", markers.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}")));
        }
        var kinds = report.FailuresByKind();
        if (kinds.Count > 0)
        {
            lines.Add("failures by kind: " + string.Join(", ", kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key}={k.Value}")));
            lines.Add($"first {report.Failures.Count} failures:");
            lines.AddRange(report.Failures.Select(f => "  " + Failure(f, report.Started)));
        }
        return lines;
    }

    /// <summary>One failure: seconds into the run, phase, status, kind and message.</summary>
    public static string Failure(RequestRecord failure, DateTimeOffset runStarted) =>
        string.Create(CultureInfo.InvariantCulture,
            $"+{(failure.Start - runStarted).TotalSeconds:0.000}s [{failure.Phase}] status {failure.Status} {failure.Error} after {failure.Latency.TotalMilliseconds:0} ms: {failure.Detail}");

    /// <summary>Milliseconds with one decimal, or "n/a".</summary>
    public static string Ms(TimeSpan? value) =>
        value is { } v ? v.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "n/a";
}
