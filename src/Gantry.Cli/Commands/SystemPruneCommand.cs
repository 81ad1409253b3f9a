using System.CommandLine;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry system prune`: removes what the retention rules say can go (old releases, their images) and compacts the
/// store; prints what it removed, or with --dry-run only what it would.</summary>
public static class SystemPruneCommand
{
    public static Command Create(CliContext context)
    {
        var output = SharedOptions.Output();
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show what would be removed" };
        var command = new Command("prune", "Remove releases past the retention and images only they used, then compact the store") { dryRun, output };
        command.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse,
            api => RunAsync(api, context, parse.GetValue(dryRun), parse.GetValue(output) == "json", ct)).ConfigureAwait(false));
        return command;
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, bool dryRun, bool json, CancellationToken cancellationToken)
    {
        var report = await api.PruneAsync(dryRun, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            JsonOutput.Write(context.Out, report, JsonOutput.Indented.PruneReport);
            return ExitCodes.Ok;
        }
        var verb = report.DryRun ? "would remove" : "removed";
        if (report.Releases.Count == 0 && report.Images.Count == 0)
        {
            await context.Out.WriteLineAsync($"no releases past the retention (the newest {report.KeepReleases} per app are kept, and any live, warm or rollback target)").ConfigureAwait(false);
        }
        foreach (var release in report.Releases)
        {
            await context.Out.WriteLineAsync($"{verb} release {release.App} {release.Number} ({release.Phase})").ConfigureAwait(false);
        }
        foreach (var image in report.Images)
        {
            var size = image.Bytes is { } bytes ? Humanize.Bytes(bytes) : "size unknown";
            var what = image.Outcome switch
            {
                PruneOutcomes.Removed or PruneOutcomes.WouldRemove => verb,
                PruneOutcomes.InUse => "kept (a container uses it)",
                _ => "already gone",
            };
            await context.Out.WriteLineAsync($"{what} image {Short(image.Id)} ({size}) of {string.Join(", ", image.Releases)}").ConfigureAwait(false);
        }
        var freed = report.Images.Where(i => i.Outcome is PruneOutcomes.Removed or PruneOutcomes.WouldRemove).Sum(i => i.Bytes ?? 0);
        var summary = report.DryRun
            ? $"would free {Humanize.Bytes(freed)} of images and {Humanize.Bytes(report.BundleBytes)} of bundles; the store ({Humanize.Bytes(report.StoreBytesBefore)}) is compacted when run without --dry-run"
            : $"freed {Humanize.Bytes(freed)} of images and {Humanize.Bytes(report.BundleBytes)} of bundles; store {Humanize.Bytes(report.StoreBytesBefore)} → {Humanize.Bytes(report.StoreBytesAfter)}";
        await context.Out.WriteLineAsync(summary).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string Short(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) && id.Length > 19 ? id[7..19] : id;
}
