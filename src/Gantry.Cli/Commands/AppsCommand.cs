using System.CommandLine;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry apps`: every app with its phase and replica counts.</summary>
public static class AppsCommand
{
    public static Command Create(CliContext context)
    {
        var output = SharedOptions.Output();
        var command = new Command("apps", "List apps") { output };
        command.SetAction(async (parse, ct) =>
        {
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                return await RunAsync(api, context, parse.GetValue(output) == "json", ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, bool json, CancellationToken cancellationToken)
    {
        var apps = await api.ListAppsAsync(cancellationToken).ConfigureAwait(false);
        if (json)
        {
            JsonOutput.Write(context.Out, apps, JsonOutput.Indented.IReadOnlyListAppSummary);
            return ExitCodes.Ok;
        }
        if (apps.Count == 0)
        {
            await context.Out.WriteLineAsync("no apps yet; deploy one with `gantry deploy -f compose.yaml --app NAME`").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var now = context.Time.GetUtcNow();
        TableWriter.Write(context.Out, ["NAME", "ENVIRONMENT", "PHASE", "SERVICES", "REPLICAS", "UPDATED", "MESSAGE"],
            apps.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => (IReadOnlyList<string>)
            [
                a.Name,
                a.Environment,
                a.Phase.ToString(),
                a.Services.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{a.ReplicasRunning}/{a.ReplicasDesired}",
                a.UpdatedAt == default ? "-" : Humanize.Ago(a.UpdatedAt, now),
                a.Message ?? "",
            ]));
        return ExitCodes.Ok;
    }
}
