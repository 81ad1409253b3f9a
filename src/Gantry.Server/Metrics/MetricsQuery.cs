using System.Globalization;
using Gantry.Model.Api;

namespace Gantry.Server.Metrics;

/// <summary>
/// A metrics query (`since`, `step`) checked once at the edge into what the history can answer: a window within its 14 days
/// and a step of whole 10 s slots (under a minute, within the slots' 24 h) or whole minutes. Pure, like its shaping of the
/// answer into the API's series.
/// </summary>
public sealed record MetricsQuery(TimeSpan Window, TimeSpan Step)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>Points per series when the query names no step: enough for a chart, few enough for a terminal.</summary>
    public const int DefaultPoints = 120;

    /// <summary>The most points per series a query may ask for; a finer one is refused with the step that fits.</summary>
    public const int MaxPoints = 1000;

    /// <summary>Reads `since` ("1h", "90m", "2d", "1h30m" or seconds; default 1h) and `step` (the same forms; default the
    /// finest step giving at most <see cref="DefaultPoints"/> points); the error names the parameter, its value and the fix.</summary>
    public static (MetricsQuery? Query, string? Error) Parse(string? since, string? step)
    {
        var window = DefaultWindow;
        if (since is not null)
        {
            if (ParseDuration(since) is not { } parsed || parsed < MetricSteps.Finest || parsed > MetricsHistory.MinuteRetention)
            {
                return (null, $"since={since} is not a window the history keeps; use a duration from 10s to 14d, such as 15m, 1h or 7d");
            }
            window = parsed;
        }
        if (step is null)
        {
            var chosen = MetricSteps.For(window, DefaultPoints);
            // Slots exist for 24 h only: a longer window is read in minutes.
            return (new MetricsQuery(window, window > MetricsHistory.SlotRetention && chosen < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : chosen), null);
        }
        if (ParseDuration(step) is not { } size || size < MetricSteps.Finest)
        {
            return (null, $"step={step} is not a step; use a duration of 10s or more, such as 30s, 1m or 1h");
        }
        if (size < TimeSpan.FromMinutes(1) ? size.Ticks % MetricSteps.Finest.Ticks != 0 : size.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            return (null, $"step={step} does not fit the history's 10 s slots and minutes; use a multiple of 10s under a minute (10s, 20s, 30s) or of 1m above");
        }
        if (size < TimeSpan.FromMinutes(1) && window > MetricsHistory.SlotRetention)
        {
            return (null, $"step={step} needs the 10 s slots, which are kept for 24h; use since=24h or less, or a step of 1m or more");
        }
        if (window.Ticks / size.Ticks > MaxPoints)
        {
            return (null, $"since={since ?? "1h"} in steps of {step} is more than {MaxPoints} points per series; use step={Format(MetricSteps.For(window, MaxPoints))} or more");
        }
        return (new MetricsQuery(window, size), null);
    }

    /// <summary>The window's start for a query at <paramref name="now"/>, on a step boundary, so every point covers a whole step.</summary>
    public DateTimeOffset Start(DateTimeOffset now)
    {
        var start = (now - Window).ToUnixTimeSeconds();
        var step = (long)Step.TotalSeconds;
        return DateTimeOffset.FromUnixTimeSeconds(start - (((start % step) + step) % step));
    }

    /// <summary>The history's series as the API shows them: a gauge's points carry their average, a counter's their sum.</summary>
    public AppMetricsView ToView(string app, DateTimeOffset start, IReadOnlyList<MetricSeriesPoints> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return new AppMetricsView(app, start, (int)Step.TotalSeconds, [.. series.Select(s => new MetricSeriesView(
            s.Key.Metric,
            s.Kind == MetricKind.Counter ? MetricNames.Counter : MetricNames.Gauge,
            s.Key.Replica.Length == 0
                ? new Dictionary<string, string> { ["service"] = s.Key.Service }
                : new Dictionary<string, string> { ["service"] = s.Key.Service, ["replica"] = s.Key.Replica },
            [.. s.Points.Select(p => new MetricPointView(p.At, s.Kind == MetricKind.Counter ? p.Sum : p.Avg, p.Min, p.Max))]))]);
    }

    /// <summary>"90s", "15m", "1h30m", "7d" or whole seconds ("3600"); null when malformed.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds <= MetricsHistory.MinuteRetention.TotalSeconds * 2 ? TimeSpan.FromSeconds(seconds) : null;
        }
        var total = TimeSpan.Zero;
        var at = 0;
        while (at < text.Length)
        {
            var digits = at;
            while (at < text.Length && char.IsAsciiDigit(text[at]))
            {
                at++;
            }
            if (at == digits || at == text.Length || at - digits > 6
                || !int.TryParse(text.AsSpan(digits, at - digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }
            total += text[at++] switch
            {
                's' => TimeSpan.FromSeconds(number),
                'm' => TimeSpan.FromMinutes(number),
                'h' => TimeSpan.FromHours(number),
                'd' => TimeSpan.FromDays(number),
                _ => TimeSpan.MinValue,
            };
            if (total < TimeSpan.Zero)
            {
                return null;
            }
        }
        return text.Length > 0 ? total : null;
    }

    private static string Format(TimeSpan step) =>
        step.TotalSeconds < 60 ? $"{step.TotalSeconds:0}s" : step.TotalMinutes < 60 ? $"{step.TotalMinutes:0}m" : step.TotalHours < 24 ? $"{step.TotalHours:0}h" : $"{step.TotalDays:0}d";
}
