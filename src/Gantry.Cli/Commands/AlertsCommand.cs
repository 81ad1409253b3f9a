using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry alerts`: the alerts firing now, then those resolved recently.</summary>
public static class AlertsCommand
{
    public static Command Create(CliContext context)
    {
        var output = SharedOptions.Output();
        var command = new Command("alerts", "Show firing alerts (crash loops, OOM kills, missing replicas, 5xx rate, p95, autoscaler at max, disk) and recently resolved ones") { output };
        command.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var alerts = await api.CallAsync(HttpMethod.Get, "api/v1/alerts", null, ApiJsonContext.Default.IReadOnlyListAlertView, ct).ConfigureAwait(false);
            if (parse.GetValue(output) == "json")
            {
                JsonOutput.Write(context.Out, alerts, JsonOutput.Indented.IReadOnlyListAlertView);
                return ExitCodes.Ok;
            }
            if (alerts.Count == 0)
            {
                await context.Out.WriteLineAsync("no alert is firing, and none resolved recently").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            TableWriter.Write(context.Out, ["STATE", "SINCE", "SEVERITY", "RULE", "APP", "SUMMARY"], alerts.Select(a => (IReadOnlyList<string>)
            [
                a.State == "resolved" && a.ResolvedAt is { } resolved ? $"resolved {Time(resolved)}" : a.State,
                Time(a.Since),
                a.Severity,
                a.Rule,
                a.App is null ? "-" : $"{a.App}/{a.Service}",
                a.Summary,
            ]));
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return command;
    }

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
