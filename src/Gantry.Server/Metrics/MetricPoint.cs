namespace Gantry.Server.Metrics;

/// <summary>
/// One step of a queried series, starting at <see cref="At"/>: what a chart draws. Gauges read <see cref="Avg"/> (with
/// <see cref="Min"/> and <see cref="Max"/> as a band), counters <see cref="Sum"/>; <see cref="Count"/> is how many
/// 10 s slots it covers, so a gap is visible.
/// </summary>
public readonly record struct MetricPoint(DateTimeOffset At, double Min, double Max, double Avg, double Last, double Sum, int Count);

/// <summary>A queried series: its key, its kind and its points, oldest first.</summary>
public sealed record MetricSeriesPoints(SeriesKey Key, MetricKind Kind, IReadOnlyList<MetricPoint> Points);
