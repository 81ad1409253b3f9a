using Gantry.Controllers.Apps;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Server.Apps;
using Gantry.Server.Bundles;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Git;

/// <summary>
/// What a push's pre-receive hook asks the server to do: pick the update that deploys, export that commit with `git archive`
/// into a bundle (the same extraction, limits and checks as an upload), and deploy it through <see cref="DeployService"/> as
/// the pusher, then follow the build and the rollout. Every line it says goes to the git client as `remote:`; the push keeps
/// its ref update only when this returns true (docs/decisions/0018).
/// </summary>
public sealed class PushDeployer(GitRepositories repositories, BundleStore bundles, DeployService deploys, IResourceStore store, PushRollout rollout,
    Environments.EnvironmentService environments, Environments.Previews previews, Environments.AutoPromoter gates, Builds.BuildService builds, ServerOptions serverOptions, Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime,
    ILogger<PushDeployer> logger)
{
    /// <summary>The compose files looked for at the repository's root, in docker compose's order of preference.</summary>
    public static readonly IReadOnlyList<string> ComposeFiles = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

    /// <summary>How long a push waits for its build and rollout before it lets the client go (the deploy goes on).</summary>
    public TimeSpan RolloutTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <param name="quarantine">Where git keeps the pushed objects until the hook accepts them (GIT_QUARANTINE_PATH), or null.</param>
    public async Task<bool> RunAsync(PushSession session, IReadOnlyList<RefUpdate> updates, IReadOnlyList<string> pushOptions, string? quarantine,
        Func<string, Task> say, CancellationToken ct)
    {
        if (PushOptions.Parse(pushOptions, out var optionError) is not { } options)
        {
            return await RefuseAsync(session, say, optionError).ConfigureAwait(false);
        }
        // The deploy branch goes to the push environment (staging unless the server or -o env= says otherwise): its own app.
        var deployTo = options.Environment ?? serverOptions.PushEnvironment;
        if (Model.Environments.EnvironmentNames.Check(session.App, deployTo) is { } environmentError)
        {
            return await RefuseAsync(session, say, environmentError).ConfigureAwait(false);
        }
        var app = Model.Environments.EnvironmentNames.InstanceOf(session.App, deployTo);
        var existing = await store.GetAppAsync(app, ct).ConfigureAwait(false);
        var branches = await repositories.BranchesAsync(session.Repository, ct).ConfigureAwait(false);
        var decision = DeployBranch.Choose(updates, branches, existing is not null);
        if (decision.Refusal is not null)
        {
            return await RefuseAsync(session, say, decision.Refusal).ConfigureAwait(false);
        }
        var (previewUpdate, deletedBranches) = PreviewBranches.Choose(updates, decision.Branch);
        foreach (var deleted in deletedBranches)
        {
            if (await previews.RemoveAsync(session.App, deleted, ct).ConfigureAwait(false) is { } removed)
            {
                await say("gantry: " + removed).ConfigureAwait(false);
            }
        }
        var branch = decision.Branch;
        if (decision.Deploy is not { } update)
        {
            if (previewUpdate is null || serverOptions.PreviewDomain.Length == 0)
            {
                session.Outcome = "pushed without a deploy";
                await say($"gantry: only '{decision.Branch}' deploys{(serverOptions.PreviewDomain.Length == 0 ? " (previews are off)" : "")}; {string.Join(", ", updates.Select(u => u.Ref))} kept without a deploy").ConfigureAwait(false);
                return true;
            }
            // Another branch: its own preview environment, on its own host name, with the push environment's settings.
            (update, branch) = (previewUpdate, previewUpdate.Branch!);
            deployTo = Model.Environments.PreviewNames.Environment(branch);
            if (Model.Environments.EnvironmentNames.Check(session.App, deployTo) is { } previewError)
            {
                return await RefuseAsync(session, say, $"no preview for '{branch}': {previewError}").ConfigureAwait(false);
            }
            app = Model.Environments.EnvironmentNames.InstanceOf(session.App, deployTo);
            existing = await store.GetAppAsync(app, ct).ConfigureAwait(false);
            var preview = new Model.Environments.PreviewSpec(branch, options.Environment ?? serverOptions.PushEnvironment,
                Model.Environments.PreviewNames.Host(branch, session.App, serverOptions.PreviewDomain), default);
            if (await environments.EnsurePreviewAsync(session.App, deployTo, preview, options.Team, ct).ConfigureAwait(false) is { } notPreview)
            {
                return await RefuseAsync(session, say, notPreview).ConfigureAwait(false);
            }
            previews.Pushed();
            await say($"gantry: '{branch}' is not the deploy branch ('{decision.Branch}'): deploying its preview {app} at http://{preview.Host}/").ConfigureAwait(false);
        }
        var target = new DeployRequest { Environment = deployTo };
        if (options.Team is { } team && existing is not null && team != existing.Spec.TeamName)
        {
            return await RefuseAsync(session, say, $"app '{app}' belongs to team '{existing.Spec.TeamName}'; a push cannot move it to team '{team}' (leave -o team out)").ConfigureAwait(false);
        }

        // Pushes to an app are serialised, but each client computed its update from the refs it was shown: one that raced
        // another push would deploy a commit its ref update then fails to record. Refuse it before deploying anything.
        var current = await repositories.ResolveAsync(session.Repository, update.Ref, ct).ConfigureAwait(false);
        if ((current ?? RefUpdate.ZeroId) != update.OldId)
        {
            return await RefuseAsync(session, say, $"'{branch}' moved to {(current is null ? "nothing" : current[..12])} while this push was waiting (another push landed first): fetch, merge or rebase, and push again").ConfigureAwait(false);
        }

        if (decision.Deploy is not null && branch == DeployBranch.Master)
        {
            // A repository that deploys master has no main: clones check out master.
            await repositories.PointHeadAtAsync(session.Repository, DeployBranch.Master, ct).ConfigureAwait(false);
        }

        var environment = GitProcess.BaseEnvironment();
        if (quarantine is not null)
        {
            if (!IsQuarantineOf(session.Repository, quarantine))
            {
                return await RefuseAsync(session, say, "the hook named a quarantine directory outside this repository").ConfigureAwait(false);
            }
            // The pushed objects are not in the repository until the hook accepts them: read them where git keeps them.
            environment["GIT_OBJECT_DIRECTORY"] = quarantine;
            environment["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = Path.Combine(session.Repository, "objects");
            environment["GIT_QUARANTINE_PATH"] = quarantine;
        }
        var show = await GitProcess.RunAsync(["--git-dir", session.Repository, "show", "-s", "--format=%H%x00%an <%ae>%x00%s", update.NewId, "--"], environment, ct).ConfigureAwait(false);
        var fields = show.Output.TrimEnd('\n').Split('\0');
        if (!show.Succeeded || fields.Length != 3 || fields[0] != update.NewId)
        {
            return await RefuseAsync(session, say, $"{update.Ref} does not name a commit ({update.NewId[..12]}): Gantry deploys commits").ConfigureAwait(false);
        }
        var source = new ReleaseSource(update.NewId, branch, fields[1]);
        if (await environments.EnsureAsync(session.App, deployTo, options.Team, ct).ConfigureAwait(false) is { } notEnvironment)
        {
            return await RefuseAsync(session, say, notEnvironment).ConfigureAwait(false);
        }
        await say($"gantry: deploying {app} from {branch} at {source.ShortCommit} \"{Shorten(fields[2])}\" ({source.Author})").ConfigureAwait(false);
        GitLog.PushDeploying(logger, app, session.Principal.Name, branch, update.NewId);

        BundleLease lease;
        try
        {
            lease = await ExportAsync(session.Repository, update.NewId, environment, ct).ConfigureAwait(false);
        }
        catch (BundleException e)
        {
            return await RefuseAsync(session, say, $"commit {source.ShortCommit} cannot be deployed: {e.Message}").ConfigureAwait(false);
        }
        ChangeOutcome<DeployResponse> outcome;
        PushWatch? watch = null;
        var built = false;
        if (ComposeFilesIn(lease.Directory) is not { } composeFiles)
        {
            await lease.DisposeAsync().ConfigureAwait(false);
            return await RefuseAsync(session, say, NoComposeFile(source)).ConfigureAwait(false);
        }
        if (options.Async)
        {
            return await RunDetachedAsync(session, app, new DeployRequest { Files = composeFiles, Team = options.Team, Environment = target.Environment },
                lease, source, branch, options, say, ct).ConfigureAwait(false);
        }
        // This push shows what the environment's gate does once its release runs: the background promotion waits for it.
        using var hold = gates.Hold(app);
        await using (lease)
        {
            var request = new DeployRequest { Files = composeFiles, Team = options.Team, Environment = target.Environment };
            watch = rollout.Watch(app);
            // The build is a step before the release (docs/decisions/0025): queued, limited, kept and cancellable, its lines on
            // the side band as they come; a build that does not succeed refuses the deploy.
            var buildRequest = new Builds.BuildRequest(session.App, app, source, session.Principal.Name);
            try
            {
                outcome = await deploys.DeployAsync(app, request, lease.Directory, session.Principal, ct, source,
                    build: (spec, token) =>
                    {
                        built = true;
                        return builds.RunAsync(buildRequest, spec, say, token);
                    }).ConfigureAwait(false);
            }
            catch
            {
                watch?.Dispose();
                throw;
            }
        }
        using (watch)
        {
            return await FinishAsync(session, app, source, branch, options, outcome, watch, built, environment, say, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// `-o async` (docs/decisions/0026): the pipeline (checks, build, test stage, release) runs in the server, detached from the
    /// push, which returns as soon as the build is queued with its number, so git updates the ref then. A deploy refused before
    /// any build (a compose error, a policy) still refuses the push; one with nothing to build answers as a waiting push does,
    /// without following the rollout. Once detached, the pipeline ends only with the server (or `gantry build --cancel`).
    /// </summary>
    private async Task<bool> RunDetachedAsync(PushSession session, string app, DeployRequest request, BundleLease lease, ReleaseSource source, string branch,
        PushOptions options, Func<string, Task> say, CancellationToken ct)
    {
        var queued = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Until the push returns, its lines go to git and the client going away cancels the pipeline; after, neither.
        var sideBand = new SemaphoreSlim(1, 1);
        var attached = true;
        async Task Say(string line)
        {
            await sideBand.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (attached)
                {
                    await say(line).ConfigureAwait(false);
                }
            }
            finally
            {
                sideBand.Release();
            }
        }
        var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        var clientGone = ct.Register(() => stop.Cancel());
        var built = false;
        var buildRequest = new Builds.BuildRequest(session.App, app, source, session.Principal.Name);
        var pipeline = Task.Run(async () =>
        {
            await using (lease)
            {
                return await deploys.DeployAsync(app, request, lease.Directory, session.Principal, stop.Token, source,
                    build: (spec, token) =>
                    {
                        built = true;
                        return builds.RunAsync(buildRequest, spec, Say, token, queued: number =>
                        {
                            queued.TrySetResult(number);
                            return Task.CompletedTask;
                        });
                    }).ConfigureAwait(false);
            }
        }, CancellationToken.None);
        if (await Task.WhenAny(pipeline, queued.Task).ConfigureAwait(false) == pipeline)
        {
            await clientGone.DisposeAsync().ConfigureAwait(false);
            stop.Dispose();
            return await FinishAsync(session, app, source, branch, options, await pipeline.ConfigureAwait(false), null, built, GitProcess.BaseEnvironment(), say, ct).ConfigureAwait(false);
        }
        var number = await queued.Task.ConfigureAwait(false);
        await sideBand.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await clientGone.DisposeAsync().ConfigureAwait(false);
            attached = false;
            session.Outcome = $"build {number} queued (async)";
            await say($"gantry: build {number} of {session.App} queued for {source.ShortCommit}; the pipeline (build, tests, release {app}) goes on in the server (-o async)").ConfigureAwait(false);
            await say($"gantry: follow it with 'gantry build {session.App} {number} --follow', then 'gantry events {app} -f'").ConfigureAwait(false);
        }
        finally
        {
            sideBand.Release();
        }
        async Task LogEndAsync()
        {
            string what;
            try
            {
                var ended = await pipeline.ConfigureAwait(false);
                what = ended.Kind == ChangeOutcomeKind.Accepted
                    ? $"release {ended.Response?.Release?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(no changes)"} stored"
                    : "refused: " + (ended.Reason ?? string.Join("; ", ended.Errors));
            }
            catch (Exception e)
            {
                what = "failed inside the server: " + e.GetBaseException().Message;
            }
            finally
            {
                stop.Dispose();
            }
            GitLog.DetachedPipelineEnded(logger, app, source.ShortCommit, number, what);
        }
        _ = LogEndAsync();
        return true;
    }

    private async Task<bool> FinishAsync(PushSession session, string app, ReleaseSource source, string branch, PushOptions options, ChangeOutcome<DeployResponse> outcome,
        PushWatch? watch, bool built, IReadOnlyDictionary<string, string> git, Func<string, Task> say, CancellationToken ct)
    {
        if (outcome.Kind != ChangeOutcomeKind.Accepted || outcome.Response is not { } response)
        {
            foreach (var error in outcome.Errors)
            {
                await say("error: " + error).ConfigureAwait(false);
            }
            var reason = outcome.Reason ?? (outcome.Errors.Count == 1 ? "the compose file has an error" : $"the compose files have {outcome.Errors.Count} errors");
            return await RefuseAsync(session, say, $"deploy of {source.ShortCommit} refused: {reason}; nothing was deployed").ConfigureAwait(false);
        }
        foreach (var warning in response.Warnings)
        {
            await say("warning: " + warning).ConfigureAwait(false);
        }
        if (!response.Changed && response.Release is null)
        {
            session.Outcome = "deployed: no changes";
            await say($"gantry: no changes: {app} already runs this").ConfigureAwait(false);
            return true;
        }
        await say($"gantry: accepted as release {response.Release} (generation {response.Generation})").ConfigureAwait(false);
        if (options.Async || watch is null)
        {
            session.Outcome = $"release {response.Release} accepted (async)";
            await say(built
                ? $"gantry: not waiting for the rollout (-o async; the build is part of the push): follow with 'gantry events {app} -f'"
                : $"gantry: not waiting for the build and rollout (-o async): follow with 'gantry events {app} -f'").ConfigureAwait(false);
            return true;
        }
        var result = await rollout.FollowAsync(watch, response.Generation, response.EventCursor, say, RolloutTimeout, ct).ConfigureAwait(false);
        switch (result.Result)
        {
            case PushRolloutResult.Running:
                session.Outcome = $"release {response.Release} running";
                await say($"gantry: {app} runs release {response.Release} ({source.ShortCommit})").ConfigureAwait(false);
                foreach (var url in await UrlsAsync(app, ct).ConfigureAwait(false))
                {
                    await say($"gantry: {app} answers at {url}").ConfigureAwait(false);
                }
                await gates.FollowPushAsync(app, session.Principal, git, say, RolloutTimeout, ct).ConfigureAwait(false);
                return true;
            case PushRolloutResult.TimedOut:
                // The deploy goes on; the push keeps its commit rather than hold the client any longer.
                session.Outcome = $"release {response.Release} still rolling out";
                await say("gantry: " + result.Message).ConfigureAwait(false);
                return true;
            default:
                return await RefuseAsync(session, say, $"release {response.Release} ({source.ShortCommit}) failed: {result.Message}; the push is refused, so '{branch}' keeps the commit that deployed before").ConfigureAwait(false);
        }
    }

    /// <summary>`git archive` of the commit into a bundle (<see cref="CommitExport"/>).</summary>
    public Task<BundleLease> ExportAsync(string repository, string commit, IReadOnlyDictionary<string, string> environment, CancellationToken ct) =>
        CommitExport.ExportAsync(bundles, repository, commit, environment, ct);

    /// <summary>The compose file at the root of an exported commit, and an `.override` beside it (as docker compose merges); null without one.</summary>
    public static IReadOnlyList<string>? ComposeFilesIn(string directory)
    {
        if (ComposeFiles.FirstOrDefault(f => BundlePath.IsRegularFile(Path.Combine(directory, f))) is not { } compose)
        {
            return null;
        }
        var overrideFile = Path.GetFileNameWithoutExtension(compose) + ".override" + Path.GetExtension(compose);
        return BundlePath.IsRegularFile(Path.Combine(directory, overrideFile)) ? [compose, overrideFile] : [compose];
    }

    public static string NoComposeFile(ReleaseSource source) =>
        $"commit {source.ShortCommit} has no compose file at the repository's root: add compose.yaml (or {string.Join(", ", ComposeFiles.Skip(1))})";

    private async Task<IReadOnlyList<string>> UrlsAsync(string app, CancellationToken ct)
    {
        var stored = await store.GetAppAsync(app, ct).ConfigureAwait(false);
        return stored is null ? [] : stored.Spec.Services
            .SelectMany(s => s.Routing?.Routes ?? [])
            .Where(r => r.Entrypoint != "internal")
            .SelectMany(r => r.Hosts.Select(h => $"{(r.RedirectToHttps ? "https" : "http")}://{h}{r.Path ?? "/"}"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A quarantine is a directory git made for this push inside the repository's objects (never a path a caller chose).</summary>
    public static bool IsQuarantineOf(string repository, string quarantine)
    {
        var objects = Path.GetFullPath(Path.Combine(repository, "objects"));
        var full = Path.GetFullPath(quarantine);
        return Path.GetDirectoryName(full) == objects && Path.GetFileName(full).StartsWith("tmp_objdir-incoming-", StringComparison.Ordinal)
            && Directory.Exists(full) && new DirectoryInfo(full).LinkTarget is null;
    }

    private static async Task<bool> RefuseAsync(PushSession session, Func<string, Task> say, string reason)
    {
        session.Outcome = "refused: " + reason;
        await say("error: " + reason).ConfigureAwait(false);
        return false;
    }

    private static string Shorten(string subject) => subject.Length <= 60 ? subject : subject[..57] + "...";
}
