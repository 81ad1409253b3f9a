using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;
using Gantry.Model.Releases;

namespace Gantry.Cli.Commands;

/// <summary>`gantry release APP N`: one release in full: who made it and why, what it runs, and what changed from the one before.</summary>
public static class ReleaseCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var number = new Argument<long>("N") { Description = "Release number (see `gantry releases APP`)" };
        var output = SharedOptions.Output();
        var command = new Command("release", "Show one release and its changes from the previous release (secrets masked)") { app, number, output };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            var n = CheckNumber(parse.GetValue(number), "N");
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                return await RunAsync(api, context, name, n, parse.GetValue(output) == "json", ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Release numbers start at 1; anything else is a usage error naming the argument.</summary>
    public static long CheckNumber(long number, string what) => number >= 1
        ? number
        : throw new CliException(ExitCodes.Usage, $"{what} {number} is not a release number; releases are numbered from 1 (see `gantry releases APP`)");

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, string app, long number, bool json, CancellationToken cancellationToken)
    {
        var release = await api.GetReleaseAsync(app, number, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            JsonOutput.Write(context.Out, release, JsonOutput.Indented.ReleaseView);
            return ExitCodes.Ok;
        }
        var now = context.Time.GetUtcNow();
        var o = context.Out;
        await o.WriteLineAsync($"release {release.Number} of {release.App}{(release.Current ? " (current)" : "")}").ConfigureAwait(false);
        await Field(o, "cause", ReleasesCommand.Cause(release)).ConfigureAwait(false);
        await Field(o, "phase", release.Phase).ConfigureAwait(false);
        await Field(o, "created", $"{Time(release.CreatedAt)} ({Humanize.Ago(release.CreatedAt, now)}) by {(string.IsNullOrEmpty(release.CreatedBy) ? "-" : release.CreatedBy)}").ConfigureAwait(false);
        if (release.Commit is { } commit)
        {
            await Field(o, "commit", $"{commit} ({release.Branch ?? "?"}, by {release.Author ?? "?"})").ConfigureAwait(false);
        }
        if (release.SecretVersions is { Count: > 0 } secrets)
        {
            await Field(o, "secrets", string.Join(", ", secrets.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key} v{x.Value}"))).ConfigureAwait(false);
        }
        await Field(o, "live at", release.LiveAt is { } live ? Time(live) : null).ConfigureAwait(false);
        await Field(o, "ended at", release.EndedAt is { } ended ? Time(ended) : null).ConfigureAwait(false);
        await Field(o, "message", release.Message).ConfigureAwait(false);
        await Field(o, "reason", release.Reason).ConfigureAwait(false);
        var services = release.Services ?? [];
        if (services.Count > 0)
        {
            await o.WriteLineAsync().ConfigureAwait(false);
            TableWriter.Write(o, ["SERVICE", "IMAGE", "IMAGE ID", "REPLICAS", "STRATEGY"], services.Select(s => (IReadOnlyList<string>)
            [
                s.Name,
                s.Image ?? "(built)",
                string.IsNullOrEmpty(s.ImageId) ? "-" : ReleaseDiff.ShortImageId(s.ImageId),
                s.Replicas.ToString(CultureInfo.InvariantCulture),
                string.IsNullOrEmpty(s.Strategy) ? "-" : s.Strategy,
            ]));
        }
        await o.WriteLineAsync().ConfigureAwait(false);
        var changes = release.Changes ?? [];
        if (changes.Count == 0)
        {
            await o.WriteLineAsync(release.Number == 1 ? "first release" : "no changes from the previous release").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        await o.WriteLineAsync(release.Number == 1 ? "changes (first release):" : "changes from the previous release:").ConfigureAwait(false);
        foreach (var change in changes)
        {
            await o.WriteLineAsync("  " + Line(change)).ConfigureAwait(false);
        }
        return ExitCodes.Ok;
    }

    /// <summary>`~ path: before → after`, `+ path: after` or `- path: before` (<see cref="ReleaseDiff.Line"/>, shared with the console).</summary>
    public static string Line(ReleaseChange change) => ReleaseDiff.Line(change);

    private static async Task Field(TextWriter writer, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            await writer.WriteLineAsync($"{name + ":",-10}{value.ReplaceLineEndings(" ")}").ConfigureAwait(false);
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
