using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry builds APP`: the commits `git push` deployed, newest first: release, commit, branch, author, state, age and
/// who pushed. A push refused before it made a release (a compose error, a policy) is not listed: the push's own output
/// and the audit log (`gantry audit`) have it.
/// </summary>
public static class BuildsCommand
{
    public static System.CommandLine.Command Create(CliContext context) =>
        SharedOptions.AppListing(context, "builds", "List the commits git pushes deployed: release, commit, branch, author, state, age",
            (api, app, json, ct) => RunAsync(api, context, app, json, ct));

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, string app, bool json, CancellationToken cancellationToken)
    {
        var pushed = (await api.ListReleasesAsync(app, cancellationToken).ConfigureAwait(false)).Where(r => r.Commit is not null && r.RollbackOf is null).ToList();
        if (json)
        {
            JsonOutput.Write(context.Out, pushed, JsonOutput.Indented.IReadOnlyListReleaseView);
            return ExitCodes.Ok;
        }
        if (pushed.Count == 0)
        {
            await context.Out.WriteLineAsync($"'{app}' has no pushed builds yet: git remote add gantry <server>/git/{app}.git, then git push gantry main").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var now = context.Time.GetUtcNow();
        TableWriter.Write(context.Out, ["RELEASE", "COMMIT", "BRANCH", "AUTHOR", "STATE", "CREATED", "BY"],
            pushed.Select(r => (IReadOnlyList<string>)
            [
                (r.Current ? "* " : "  ") + r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                r.Commit!.Length > 12 ? r.Commit[..12] : r.Commit,
                r.Branch ?? "-",
                r.Author ?? "-",
                r.Phase,
                Humanize.Ago(r.CreatedAt, now),
                string.IsNullOrEmpty(r.CreatedBy) ? "-" : r.CreatedBy,
            ]));
        return ExitCodes.Ok;
    }
}
