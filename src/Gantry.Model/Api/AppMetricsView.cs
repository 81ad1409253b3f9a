namespace Gantry.Model.Api;

/// <summary>`GET /api/v1/apps/{app}/metrics`: the app's series over a window, in steps of <see cref="StepSeconds"/>.</summary>
/// <param name="Since">The window's start: points start at or after it.</param>
/// <param name="StepSeconds">Each point covers this many seconds: a counter's value is its sum over the step, divide by it for a rate.</param>
/// <param name="Series">Per service, then replica, then metric name.</param>
public sealed record AppMetricsView(string App, DateTimeOffset Since, int StepSeconds, IReadOnlyList<MetricSeriesView> Series);

/// <summary>One series: a metric (see <see cref="MetricNames"/>) of a service or one of its replicas.</summary>
/// <param name="Name">The metric, e.g. <c>cpu</c> or <c>requests_5xx</c>.</param>
/// <param name="Kind"><c>gauge</c> (a level: points carry its average) or <c>counter</c> (an amount: points carry its sum).</param>
/// <param name="Labels"><c>service</c>, and <c>replica</c> for the engine's per-replica figures.</param>
/// <param name="Points">Oldest first; a step without samples has no point (a gap, not a zero).</param>
public sealed record MetricSeriesView(string Name, string Kind, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<MetricPointView> Points);

/// <summary>One step of a series.</summary>
/// <param name="At">The step's start.</param>
/// <param name="Value">A gauge's average over the step, a counter's sum.</param>
/// <param name="Min">The lowest 10 s value within the step.</param>
/// <param name="Max">The highest 10 s value within the step.</param>
public sealed record MetricPointView(DateTimeOffset At, double Value, double Min, double Max);
