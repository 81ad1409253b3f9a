using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Environments;
using Gantry.Model.Releases;
using Gantry.Server.Apps;
using Gantry.Server.Git;
using Gantry.Store;
using PromoteOutcome = Gantry.Server.Apps.ChangeOutcome<Gantry.Model.Api.DeployResponse>;

namespace Gantry.Server.Environments;

/// <summary>
/// `gantry promote APP --from staging --to production` (docs/decisions/0024): the compose files of the commit the source
/// environment's live release was pushed from, loaded with the target's own variables and secrets, run with exactly the image
/// ids that release runs (nothing is built again), through <see cref="DeployService"/> with all its checks.
/// </summary>
public sealed class Promotion(IResourceStore store, ReleaseBook book, GitRepositories repositories, Bundles.BundleStore bundles, DeployService deploys, EnvironmentService environments)
{
    /// <param name="git">Git's environment for reading the commit: a push's hook passes its quarantine (the pushed objects are
    /// not in the repository until the hook accepts them); null for the repository as it is.</param>
    public async Task<PromoteOutcome> PromoteAsync(string app, PromoteRequest request, Identity.Principal caller, CancellationToken ct,
        IReadOnlyDictionary<string, string>? git = null)
    {
        var errors = new[] { EnvironmentNames.Check(app, request.From), EnvironmentNames.Check(app, request.To) }.OfType<string>().ToList();
        if (request.From == request.To)
        {
            errors.Add($"--from and --to both name '{request.From}': promote from one environment to another");
        }
        if (errors.Count > 0)
        {
            return PromoteOutcome.Invalid(errors.Select(e => new Diagnostic("error", "promote", 0, 0, "", e)).ToList());
        }
        var from = EnvironmentNames.InstanceOf(app, request.From);
        var to = EnvironmentNames.InstanceOf(app, request.To);
        var source = await store.GetAppAsync(from, ct).ConfigureAwait(false);
        if (source is null)
        {
            return PromoteOutcome.Missing($"'{app}' has no {request.From} environment running ('{from}'): 'gantry env {app}' lists them");
        }
        var releases = await book.ListAsync(from, ct).ConfigureAwait(false);
        var live = releases.Where(r => r.State.Phase == ReleasePhases.Live).MaxBy(r => r.Record.Number);
        if (live is null)
        {
            return PromoteOutcome.Conflict($"{request.From} of '{app}' has no live release to promote (its current release is {source.Spec.Release}, {releases.FirstOrDefault(r => r.Record.Number == source.Spec.Release)?.State.Phase ?? "unknown"}): wait until it runs, or fix it");
        }
        if (live.Record.Source is not { } commit)
        {
            return PromoteOutcome.Refused($"release {live.Record.Number} of {request.From} was uploaded, not pushed: promotion re-reads the pushed commit's compose files; deploy with git push, or deploy to {request.To} with 'gantry deploy'");
        }
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in live.Record.Spec.Services)
        {
            var id = live.State.ImageIds.GetValueOrDefault(service.Name) ?? (service.Image is { } image && image.StartsWith("sha256:", StringComparison.Ordinal) ? image : null);
            if (id is null)
            {
                return PromoteOutcome.Conflict($"release {live.Record.Number} of {request.From} does not record the image id of service '{service.Name}': it cannot be promoted with identical images; push again");
            }
            images[service.Name] = id;
        }
        if (await environments.EnsureAsync(app, request.To, source.Spec.TeamName, ct).ConfigureAwait(false) is { } refusal)
        {
            return PromoteOutcome.Conflict(refusal);
        }
        var repository = repositories.PathOf(app);
        if (!repositories.Exists(app))
        {
            return PromoteOutcome.Conflict($"'{app}' has no git repository on this server, so commit {commit.ShortCommit} cannot be read: push it again");
        }
        Bundles.BundleLease lease;
        try
        {
            lease = await CommitExport.ExportAsync(bundles, repository, commit.Commit, git ?? GitProcess.BaseEnvironment(), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Bundles.BundleException or IOException)
        {
            return PromoteOutcome.Conflict($"commit {commit.ShortCommit} of release {live.Record.Number} cannot be read from '{app}''s repository ({e.Message}): push it again");
        }
        await using var _ = lease;
        if (PushDeployer.ComposeFilesIn(lease.Directory) is not { } files)
        {
            return PromoteOutcome.Refused(PushDeployer.NoComposeFile(commit));
        }
        var deploy = new DeployRequest { Files = files, Environment = request.To, Team = source.Spec.TeamName };
        return await deploys.DeployAsync(to, deploy, lease.Directory, caller, ct, commit, images).ConfigureAwait(false);
    }
}
