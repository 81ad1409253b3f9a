using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry autoscale APP`: each autoscaled service's targets with their current values, and the autoscaler's recent decisions.</summary>
public static class AutoscaleCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var output = SharedOptions.Output();
        var command = new Command("autoscale", "Show an app's autoscaled services: targets, current values and recent decisions") { app, output };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                var view = await api.CallAsync(HttpMethod.Get, $"api/v1/apps/{Uri.EscapeDataString(name)}/autoscale", null, ApiJsonContext.Default.AutoscaleView, ct).ConfigureAwait(false);
                if (parse.GetValue(output) == "json")
                {
                    JsonOutput.Write(context.Out, view, JsonOutput.Indented.AutoscaleView);
                    return ExitCodes.Ok;
                }
                await WriteAsync(context.Out, view).ConfigureAwait(false);
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task WriteAsync(TextWriter writer, AutoscaleView view)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(view);
        if (view.Services.Count == 0)
        {
            await writer.WriteLineAsync($"no service of '{view.App}' is autoscaled (add x-gantry: autoscale to a service and deploy)").ConfigureAwait(false);
            return;
        }
        var first = true;
        foreach (var service in view.Services)
        {
            if (!first)
            {
                await writer.WriteLineAsync().ConfigureAwait(false);
            }
            first = false;
            var policy = $"min {service.Min}, max {service.Max}, scale-in delay {service.ScaleInDelay}" + (service.Idle is { } idle ? $", idle {idle}" : "");
            await writer.WriteLineAsync($"{service.Service}: {service.Replicas} {(service.Replicas == 1 ? "replica" : "replicas")} ({policy})").ConfigureAwait(false);
            foreach (var floor in service.Schedule)
            {
                await writer.WriteLineAsync($"  schedule {floor}").ConfigureAwait(false);
            }
            TableWriter.Write(writer, ["TARGET", "WANTED", "NOW"], service.Targets.Select(t => (IReadOnlyList<string>)[t.Name, t.Target, t.Current ?? "-"]));
            if (service.Last is not { } last)
            {
                await writer.WriteLineAsync("no decision yet: the autoscaler decides after each sampler pass (every 10s while replicas run)").ConfigureAwait(false);
                continue;
            }
            await writer.WriteLineAsync($"last decision {Time(last.At)}: {last.Message}").ConfigureAwait(false);
            if (service.Decisions.Count > 0)
            {
                TableWriter.Write(writer, ["TIME", "CHANGE", "REASON", "WHY"], service.Decisions.Select(d => (IReadOnlyList<string>)
                [
                    Time(d.At),
                    d.From == d.To ? d.To.ToString(CultureInfo.InvariantCulture) : $"{d.From} -> {d.To}",
                    d.Reason,
                    d.Message,
                ]));
            }
        }
    }

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
