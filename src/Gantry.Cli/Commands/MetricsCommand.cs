using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry metrics APP [SERVICE]`: per service, each metric's value now, its min/avg/max over the window and a sparkline.</summary>
public static class MetricsCommand
{
    /// <summary>Points per sparkline: the step is the finest that draws the window in this many characters or fewer.</summary>
    public const int SparklineWidth = 30;

    public static readonly TimeSpan DefaultSince = TimeSpan.FromHours(1);

    /// <summary>The longest window the server keeps (its minutes tier).</summary>
    public static readonly TimeSpan MaxSince = TimeSpan.FromDays(14);

    /// <summary>Rows in this order within a replica or service; a metric the CLI does not know yet comes after, by name.</summary>
    private static readonly string[] s_order =
    [
        MetricNames.Cpu, MetricNames.Memory, MetricNames.MemoryBytes, MetricNames.NetworkRxBytes, MetricNames.NetworkTxBytes, MetricNames.Restarts,
        MetricNames.Requests2xx, MetricNames.Requests3xx, MetricNames.Requests4xx, MetricNames.Requests5xx,
        MetricNames.LatencyP50, MetricNames.LatencyP95, MetricNames.LatencyP99, MetricNames.InFlight,
        MetricNames.NodeCpuCores, MetricNames.NodeMemoryBytes, MetricNames.NodeReplicas,
    ];

    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var service = new Argument<string?>("SERVICE") { Description = "Only this service's metrics", Arity = ArgumentArity.ZeroOrOne };
        var since = SinceOption();
        var output = SharedOptions.Output();
        var command = new Command("metrics", "Show an app's CPU, memory, network and request metrics over time") { app, service, since, output };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            return await SharedOptions.WithApiAsync(context, parse, api =>
                RunAsync(api, context, name, parse.GetValue(service), parse.GetValue(since) ?? DefaultSince, parse.GetValue(output) == "json", ct)).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>`--since`: the window, checked against what the server keeps.</summary>
    public static Option<TimeSpan?> SinceOption() => new("--since")
    {
        Description = "How far back to look (10s to 14d, e.g. 15m, 1h, 7d); default 1h",
        HelpName = "duration",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Humanize.ParseDuration(text) is { } duration && duration >= MetricSteps.Finest && duration <= MaxSince)
            {
                return duration;
            }
            result.AddError($"--since '{text}' is not a window the server keeps; use a duration from 10s to 14d, e.g. 15m, 1h or 7d");
            return null;
        },
    };

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, string app, string? service, TimeSpan since, bool json, CancellationToken cancellationToken)
    {
        var step = MetricSteps.For(since, SparklineWidth);
        var view = await api.GetMetricsAsync(app, service, since, step, cancellationToken).ConfigureAwait(false);
        return await WriteAsync(context, view, since, json, service is null ? $"'{app}'" : $"service '{service}' of '{app}'").ConfigureAwait(false);
    }

    /// <summary>The series as tables with sparklines, one per service (or node), or as JSON.</summary>
    public static async Task<int> WriteAsync(CliContext context, AppMetricsView view, TimeSpan since, bool json, string what)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(view);
        if (json)
        {
            JsonOutput.Write(context.Out, view, JsonOutput.Indented.AppMetricsView);
            return ExitCodes.Ok;
        }
        if (view.Series.Count == 0)
        {
            await context.Out.WriteLineAsync($"no metrics for {what} in the last {Humanize.Duration(since)} (the server samples running replicas every 10s)").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var width = Math.Max(1, (int)Math.Ceiling(since.TotalSeconds / view.StepSeconds));
        var first = true;
        foreach (var group in view.Series.GroupBy(s => s.Labels.GetValueOrDefault("service") ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                await context.Out.WriteLineAsync().ConfigureAwait(false);
            }
            first = false;
            await context.Out.WriteLineAsync($"{group.Key}: last {Humanize.Duration(since)} in steps of {Humanize.Duration(TimeSpan.FromSeconds(view.StepSeconds))}").ConfigureAwait(false);
            var rows = group
                .OrderBy(s => s.Labels.ContainsKey("replica") ? 0 : 1)
                .ThenBy(s => s.Labels.GetValueOrDefault("replica") ?? "", StringComparer.Ordinal)
                .ThenBy(s => Array.IndexOf(s_order, s.Name) is var i and >= 0 ? i : s_order.Length)
                .ThenBy(s => s.Name, StringComparer.Ordinal)
                .Select(s => Row(s, view, width));
            TableWriter.Write(context.Out, ["REPLICA", "METRIC", "NOW", "MIN", "AVG", "MAX", "TREND"], rows);
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// One series as a row: its last point, min/avg/max over the window and a sparkline of <paramref name="width"/> steps
    /// from the window's start. A counter shows rates per second: its sum per step over the step, and its lowest and
    /// highest 10 s amounts (what a point's min and max are) over 10 s; a gauge shows its level.
    /// </summary>
    public static IReadOnlyList<string> Row(MetricSeriesView series, AppMetricsView view, int width)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(view);
        var counter = series.Kind == MetricNames.Counter;
        double Scale(double v) => counter ? v / view.StepSeconds : v;
        double ScaleSlot(double v) => counter ? v / MetricSteps.Finest.TotalSeconds : v;
        var values = series.Points.Select(p => Scale(p.Value)).ToList();
        var slots = new double?[Math.Max(width, series.Points.Count == 0 ? 0 : Index(series.Points[^1]) + 1)];
        foreach (var point in series.Points)
        {
            if (Index(point) is var i and >= 0 && i < slots.Length)
            {
                slots[i] = Scale(point.Value);
            }
        }
        string Show(double? v) => v is { } value ? Format(series.Name, value, counter) : "-";
        return
        [
            series.Labels.GetValueOrDefault("replica") ?? "-",
            series.Name,
            Show(values.Count > 0 ? values[^1] : null),
            Show(series.Points.Count > 0 ? series.Points.Min(p => ScaleSlot(p.Min)) : null),
            Show(values.Count > 0 ? values.Average() : null),
            Show(series.Points.Count > 0 ? series.Points.Max(p => ScaleSlot(p.Max)) : null),
            Sparkline.Render(slots),
        ];

        int Index(MetricPointView point) => (int)((point.At - view.Since).TotalSeconds / view.StepSeconds);
    }

    /// <summary>A metric's value in its unit: CPU and memory fractions as percents, bytes with units, counters per second, latencies in ms.</summary>
    public static string Format(string metric, double value, bool counter) => metric switch
    {
        MetricNames.Cpu or MetricNames.Memory => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%",
        MetricNames.MemoryBytes or MetricNames.NodeMemoryBytes => Humanize.Bytes((long)Math.Round(value)),
        MetricNames.NetworkRxBytes or MetricNames.NetworkTxBytes => Humanize.Bytes((long)Math.Round(value)) + "/s",
        MetricNames.LatencyP50 or MetricNames.LatencyP95 or MetricNames.LatencyP99 => RequestsCommand.Milliseconds(value),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture) + (counter ? "/s" : ""),
    };
}
