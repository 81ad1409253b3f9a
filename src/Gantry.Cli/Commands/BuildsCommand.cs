using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry builds APP`: the kept builds of pushed commits, newest first: number, commit, branch, state (a queued build with its
/// position), how long it ran, when it was queued, who pushed and where it deploys (docs/decisions/0025).
/// </summary>
public static class BuildsCommand
{
    public static System.CommandLine.Command Create(CliContext context) =>
        SharedOptions.AppListing(context, "builds", "List the builds of pushed commits: number, commit, state (queue position), duration",
            (api, app, json, ct) => RunAsync(api, context, app, json, ct));

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, string app, bool json, CancellationToken cancellationToken)
    {
        var builds = await api.ListBuildsAsync(app, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            JsonOutput.Write(context.Out, builds, JsonOutput.Indented.IReadOnlyListBuildView);
            return ExitCodes.Ok;
        }
        if (builds.Count == 0)
        {
            await context.Out.WriteLineAsync($"'{app}' has no builds yet: git remote add gantry <server>/git/{app}.git, then git push gantry main (a compose file with build: sections)").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var now = context.Time.GetUtcNow();
        TableWriter.Write(context.Out, ["BUILD", "COMMIT", "BRANCH", "STATE", "DURATION", "QUEUED", "BY", "DEPLOYS"],
            builds.Select(b => (IReadOnlyList<string>)
            [
                b.Number.ToString(CultureInfo.InvariantCulture),
                b.Commit.Length > 12 ? b.Commit[..12] : b.Commit,
                b.Branch ?? "-",
                State(b),
                Duration(b, now),
                Humanize.Ago(b.QueuedAt, now),
                string.IsNullOrEmpty(b.PushedBy) ? "-" : b.PushedBy,
                b.Deploys ?? "-",
            ]));
        return ExitCodes.Ok;
    }

    public static string State(BuildView build) =>
        build.State == BuildStates.Queued && build.Position is { } position ? $"queued (position {position})" : build.State;

    /// <summary>From the start to the end, or to now while it runs ("12s…"); "-" before it starts.</summary>
    public static string Duration(BuildView build, DateTimeOffset now) => build.StartedAt is not { } start
        ? "-"
        : build.FinishedAt is { } end ? Seconds(end - start) : Seconds(now - start) + "…";

    private static string Seconds(TimeSpan span) => span.TotalSeconds < 60
        ? span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
        : Humanize.Duration(span);
}
