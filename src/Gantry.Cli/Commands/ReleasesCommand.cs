using System.CommandLine;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;
using Gantry.Model.Releases;

namespace Gantry.Cli.Commands;

/// <summary>`gantry releases APP`: every release of the app, newest first, the current one marked with *.</summary>
public static class ReleasesCommand
{
    /// <summary>Messages longer than this are cut in the table; `gantry release APP N` shows them whole.</summary>
    public const int MessageWidth = 60;

    public static Command Create(CliContext context) =>
        SharedOptions.AppListing(context, "releases", "List an app's releases: number, cause, phase, age, who, images", (api, app, json, ct) => RunAsync(api, context, app, json, ct));

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, string app, bool json, CancellationToken cancellationToken)
    {
        var releases = await api.ListReleasesAsync(app, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            JsonOutput.Write(context.Out, releases, JsonOutput.Indented.IReadOnlyListReleaseView);
            return ExitCodes.Ok;
        }
        if (releases.Count == 0)
        {
            await context.Out.WriteLineAsync($"'{app}' has no releases yet (every deploy makes one)").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var now = context.Time.GetUtcNow();
        // The COMMIT column appears once the app has a release from a `git push`; apps deployed by upload list as before.
        var commits = releases.Any(r => r.Commit is not null);
        IReadOnlyList<string> headers = commits
            ? ["NUMBER", "CAUSE", "PHASE", "CREATED", "BY", "COMMIT", "IMAGES", "MESSAGE"]
            : ["NUMBER", "CAUSE", "PHASE", "CREATED", "BY", "IMAGES", "MESSAGE"];
        TableWriter.Write(context.Out, headers,
            releases.Select(r =>
            {
                var row = new List<string>
                {
                    (r.Current ? "* " : "  ") + r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Cause(r),
                    r.Phase,
                    Humanize.Ago(r.CreatedAt, now),
                    string.IsNullOrEmpty(r.CreatedBy) ? "-" : r.CreatedBy,
                };
                if (commits)
                {
                    row.Add(Commit(r));
                }
                row.Add(Images(r));
                row.Add(Truncate(r.Message ?? r.Reason, MessageWidth));
                return (IReadOnlyList<string>)row;
            }));
        return ExitCodes.Ok;
    }

    /// <summary>"3f2a1b4c5d6e main": the commit a push deployed, short, with its branch; "-" for uploads.</summary>
    public static string Commit(ReleaseView release) =>
        release.Commit is { } commit ? $"{(commit.Length > 12 ? commit[..12] : commit)}{(release.Branch is { } branch ? " " + branch : "")}" : "-";

    /// <summary>"deploy", or "rollback of 5" / "auto-rollback of 5" for releases that restore an older one.</summary>
    public static string Cause(ReleaseView release) =>
        release.RollbackOf is { } of ? $"{release.Cause} of {of}" : release.Cause;

    /// <summary>"web=shop/web:v2@3f2a1b4c5d6e, worker=shop/worker:v2": what each service runs.</summary>
    public static string Images(ReleaseView release) =>
        string.Join(", ", (release.Services ?? []).Select(s => $"{s.Name}={Image(s)}"));

    public static string Image(ReleaseServiceView service) =>
        (service.Image ?? "(built)") + (string.IsNullOrEmpty(service.ImageId) ? "" : "@" + ReleaseDiff.ShortImageId(service.ImageId));

    /// <summary>One line, at most <paramref name="width"/> characters, "…" where it was cut; "" for none.</summary>
    public static string Truncate(string? text, int width)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= width ? line : line[..(width - 1)].TrimEnd() + "…";
    }
}
