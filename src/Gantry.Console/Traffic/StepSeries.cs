using Gantry.Model.Api;

namespace Gantry.Console.Traffic;

/// <summary>
/// A metrics answer laid out on its steps: one slot per step from the answer's start to now, null where the history has
/// no point (a gap, drawn as a break, never as a zero). Pure, so the pages' numbers are unit-tested without a server.
/// </summary>
public sealed class StepSeries
{
    private readonly AppMetricsView _view;

    public StepSeries(AppMetricsView view, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(view);
        _view = view;
        Step = TimeSpan.FromSeconds(Math.Max(1, view.StepSeconds));
        Count = Math.Max(1, (int)Math.Ceiling((now - view.Since) / Step));
    }

    public TimeSpan Step { get; }

    public DateTimeOffset Start => _view.Since;

    /// <summary>Steps from the start to now, the last one still filling.</summary>
    public int Count { get; }

    public IEnumerable<string> Services => _view.Series.Select(s => s.Labels.GetValueOrDefault("service") ?? "").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    public IEnumerable<string> Replicas(string service) => _view.Series
        .Where(s => s.Labels.GetValueOrDefault("service") == service && s.Labels.TryGetValue("replica", out _))
        .Select(s => s.Labels["replica"]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>
    /// The values of <paramref name="metric"/> by step, summed over the series that match (every service when
    /// <paramref name="service"/> is null; the service's own series, or one replica's); <paramref name="scale"/> multiplies.
    /// </summary>
    public double?[] Values(string metric, string? service = null, string? replica = null, double scale = 1) =>
        Combine([metric], service, replica, scale, sum: true);

    /// <summary>The highest value per step over the matching series (a percentile of several services: the worst of them).</summary>
    public double?[] Highest(string metric, string? service = null) => Combine([metric], service, null, 1, sum: false);

    /// <summary>Requests of every status class per second, by step: what the routers answered.</summary>
    public double?[] RequestsPerSecond(string? service = null) => Combine(RequestClasses, service, null, 1 / Step.TotalSeconds, sum: true);

    public static IReadOnlyList<string> RequestClasses { get; } = [MetricNames.Requests2xx, MetricNames.Requests3xx, MetricNames.Requests4xx, MetricNames.Requests5xx];

    private double?[] Combine(IReadOnlyList<string> metrics, string? service, string? replica, double scale, bool sum)
    {
        var values = new double?[Count];
        foreach (var series in _view.Series)
        {
            if (!metrics.Contains(series.Name)
                || service is not null && series.Labels.GetValueOrDefault("service") != service
                || replica is not null && series.Labels.GetValueOrDefault("replica") != replica)
            {
                continue;
            }
            foreach (var point in series.Points)
            {
                var index = (int)((point.At - _view.Since) / Step);
                if (index < 0 || index >= Count)
                {
                    continue;
                }
                var value = point.Value * scale;
                values[index] = values[index] is not { } had ? value : sum ? had + value : Math.Max(had, value);
            }
        }
        return values;
    }
}
