using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry system df`: what Gantry keeps on disk, by part (store, bundles, registry, logs, release images).</summary>
public static class SystemDfCommand
{
    public static Command Create(CliContext context)
    {
        var output = SharedOptions.Output();
        var command = new Command("df", "Show disk use by part: store, bundles, registry, logs, images of releases") { output };
        command.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse,
            api => RunAsync(api, context, parse.GetValue(output) == "json", ct)).ConfigureAwait(false));
        return command;
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, bool json, CancellationToken cancellationToken)
    {
        var usage = await api.GetDiskUsageAsync(cancellationToken).ConfigureAwait(false);
        if (json)
        {
            JsonOutput.Write(context.Out, usage, JsonOutput.Indented.DiskUsageView);
            return ExitCodes.Ok;
        }
        TableWriter.Write(context.Out, ["PART", "SIZE", "ITEMS", "WHERE"], usage.Parts.Select(p => (IReadOnlyList<string>)
        [
            p.Name,
            Humanize.Bytes(p.Bytes),
            p.Items.ToString(CultureInfo.InvariantCulture),
            p.Path ?? (p.Name == DiskUsageParts.ReleaseImages ? "(engine)" : "-"),
        ]));
        await context.Out.WriteLineAsync($"data directory {usage.DataDirectory}: {Humanize.Bytes(usage.DataDirectoryBytes)}").ConfigureAwait(false);
        foreach (var part in usage.Parts.Where(p => p.Note is not null && p.Bytes == 0 && p.Items == 0))
        {
            await context.Out.WriteLineAsync($"{part.Name}: {part.Note}").ConfigureAwait(false);
        }
        return ExitCodes.Ok;
    }
}
