using System.Text.Json;
using System.Text.RegularExpressions;
using Gantry.Controllers.Apps;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Model.Releases;
using Gantry.Server.Apps;
using Gantry.Server.Git;
using Gantry.Server.Identity;
using Gantry.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Webhooks;

/// <summary>
/// Apps that follow an external repository (docs/decisions/0026): an admin names the repository, its branch and a webhook
/// secret; a push webhook from GitHub, GitLab or Gitea that proves the secret makes Gantry fetch that branch into the app's
/// own bare repository, check the pushed commit is there, and run the push pipeline on it (build, tests, release) in the
/// server, as a deployer of the app's team. A delivery whose id was handled before is ignored.
/// </summary>
public sealed partial class WebhookService(IResourceStore store, Environments.SecretBox secrets, GitRepositories repositories, PushDeployer pushes,
    DeployService deploys, Builds.BuildService builds, Environments.EnvironmentService environments, Environments.Previews previews, ServerOptions serverOptions,
    IHostApplicationLifetime lifetime, ILogger<WebhookService> logger)
{
    /// <summary>A shorter secret is refused: it is the only thing between the internet and a deploy.</summary>
    public const int MinSecretLength = 16;

    /// <summary>Longer delivery ids are refused: the forges' are GUIDs.</summary>
    public const int MaxDeliveryIdLength = 200;

    private readonly DeliveryLog _deliveries = new(store);

    /// <summary>Sets (or replaces) the repository <paramref name="app"/> follows; the answer never includes the secret.</summary>
    public async Task<(int Status, string Text)> SetSourceAsync(string app, JsonElement body, string by, CancellationToken ct)
    {
        if (!Model.Names.IsValidAppName(app))
        {
            return (400, $"'{app}' is not a valid app name");
        }
        string? Field(string name) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var url = Field("url");
        var branch = Field("branch") ?? "main";
        var secret = Field("secret");
        var team = Field("team") ?? Model.AppSpec.DefaultTeam;
        var environment = Field("environment");
        if (url is null || url.Length == 0 || url.StartsWith('-') || url.Any(char.IsControl))
        {
            return (400, "url: give the repository's clone URL (https://..., ssh://... or a path on the server), e.g. {\"url\": \"https://github.com/acme/shop.git\"}");
        }
        if (!CloneUrl.TrySplit(url, out var shownUrl, out var credentials, out var urlProblem))
        {
            return (400, urlProblem);
        }
        if (!BranchPattern().IsMatch(branch) || branch.Contains("..", StringComparison.Ordinal))
        {
            return (400, $"branch: '{branch}' is not a branch name (letters, digits, '.', '_', '-', '/'), e.g. main");
        }
        if (secret is null || secret.Length < MinSecretLength)
        {
            return (400, $"secret: give the webhook's secret, at least {MinSecretLength} characters (the forge signs each delivery with it), e.g. from 'openssl rand -hex 20'");
        }
        if (!Model.Names.IsValidAppName(team) || (team != Model.AppSpec.DefaultTeam && await store.GetAsync(IdentityKinds.Team, team, ct).ConfigureAwait(false) is null))
        {
            return (400, $"team: '{team}' is not a team; 'gantry teams' lists them");
        }
        if (environment is not null && !Model.Environments.EnvironmentNames.IsValid(environment))
        {
            return (400, $"environment: '{environment}' is not an environment name: lower-case letters and digits, e.g. staging");
        }
        var source = new RepositorySource
        {
            App = app,
            Url = shownUrl,
            SealedCredentials = credentials is null ? null : secrets.Seal(credentials, RepositorySource.CredentialsPlaceOf(app)),
            Branch = branch,
            SealedSecret = secrets.Seal(secret, RepositorySource.PlaceOf(app)),
            Team = team,
            Environment = environment,
            SetBy = by,
        };
        await store.UpsertSpecAsync(RepositorySource.Kind, app, JsonSerializer.Serialize(source, WebhookJsonContext.Default.RepositorySource), null, ct).ConfigureAwait(false);
        return (200, Describe(source));
    }

    public async Task<(int Status, string Text)> GetSourceAsync(string app, CancellationToken ct) =>
        await ReadAsync(app, ct).ConfigureAwait(false) is { } source ? (200, Describe(source)) : (404, $"app '{app}' follows no external repository");

    /// <summary>
    /// One delivery: 202 when it starts a deploy, 200 when it is ignored (another branch or event, a replay), 401 when it does not
    /// prove the secret (and nothing else is said), 400 when it is not a push webhook, 404 when the app follows no repository.
    /// </summary>
    public async Task<(int Status, string Text)> ReceiveAsync(string app, Func<string, string?> header, byte[] body, CancellationToken ct)
    {
        if (!Model.Names.IsValidAppName(app) || await ReadAsync(app, ct).ConfigureAwait(false) is not { } source)
        {
            return (404, $"app '{app}' follows no external repository: an admin sets one with PUT /api/v1/apps/{app}/source");
        }
        if (WebhookDelivery.Read(header, out var notWebhook) is not { } delivery)
        {
            return (400, notWebhook);
        }
        if (secrets.Open(source.SealedSecret, RepositorySource.PlaceOf(app)) is not { } secret || !delivery.IsSignedWith(secret, body, header))
        {
            WebhookLog.SignatureRefused(logger, app, delivery.Provider.ToString());
            return (401, "the delivery's signature does not match this app's webhook secret");
        }
        if (!delivery.IsPush)
        {
            return (200, $"ignored: a '{delivery.Event}' event (only pushes deploy)");
        }
        if (delivery.DeliveryId is not { Length: > 0 and <= MaxDeliveryIdLength } id)
        {
            return (400, $"the delivery has no id of at most {MaxDeliveryIdLength} characters (X-GitHub-Delivery, X-Gitea-Delivery or X-Gitlab-Event-UUID): replays could not be told apart");
        }
        if (WebhookDelivery.ReadPush(body, out var notPush) is not { } push)
        {
            return (400, notPush);
        }
        if (!await _deliveries.TryRecordAsync(app, id, ct).ConfigureAwait(false))
        {
            WebhookLog.ReplayIgnored(logger, app, id);
            return (200, $"ignored: delivery {id} was handled before");
        }
        var branch = push.Ref.StartsWith(RefUpdate.BranchPrefix, StringComparison.Ordinal) ? push.Ref[RefUpdate.BranchPrefix.Length..] : null;
        if (branch != source.Branch)
        {
            // Another branch: its preview, as a push of it to Gantry's own remote makes (docs/decisions/0024).
            if (branch is null || serverOptions.PreviewDomain.Length == 0 || !BranchPattern().IsMatch(branch))
            {
                return (200, $"ignored: {push.Ref} is not the followed branch ({source.Branch} deploys){(branch is not null && serverOptions.PreviewDomain.Length == 0 ? "; previews are off" : "")}");
            }
            if (push.After == RefUpdate.ZeroId)
            {
                return (200, await previews.RemoveAsync(app, branch, ct).ConfigureAwait(false) ?? $"ignored: {branch} was deleted and had no preview");
            }
            WebhookLog.Deploying(logger, app, delivery.Provider.ToString(), id, push.After);
            _ = Task.Run(() => DeployAsync(source, branch, push.After, lifetime.ApplicationStopping), CancellationToken.None);
            return (202, $"deploying the preview of {branch} at {push.After[..12]}: 'gantry builds {app}' follows it");
        }
        if (push.After == RefUpdate.ZeroId)
        {
            return (200, $"ignored: {push.Ref} was deleted ({source.Branch} deploys)");
        }
        WebhookLog.Deploying(logger, app, delivery.Provider.ToString(), id, push.After);
        _ = Task.Run(() => DeployAsync(source, source.Branch, push.After, lifetime.ApplicationStopping), CancellationToken.None);
        return (202, $"deploying {source.Branch} at {push.After[..12]}: 'gantry builds {app}' follows it");
    }

    /// <summary>Fetch, check, export and deploy one commit, under the app's push lock (pushes and deliveries take turns).</summary>
    /// <param name="branch">The followed branch, or another one whose preview this deploys.</param>
    private async Task DeployAsync(RepositorySource source, string branch, string commit, CancellationToken ct)
    {
        var preview = branch != source.Branch;
        var baseEnvironment = source.Environment ?? serverOptions.PushEnvironment;
        var deployTo = preview ? Model.Environments.PreviewNames.Environment(branch) : baseEnvironment;
        var instance = Model.Environments.EnvironmentNames.InstanceOf(source.App, deployTo);
        var gate = repositories.LockOf(source.App);
        try
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            var existing = await store.GetAppAsync(instance, ct).ConfigureAwait(false);
            var repository = await repositories.EnsureAsync(source.App, existing is not null, ct).ConfigureAwait(false);
            var environment = GitProcess.BaseEnvironment();
            if (source.SealedCredentials is { } sealedCredentials)
            {
                if (secrets.Open(sealedCredentials, RepositorySource.CredentialsPlaceOf(source.App)) is not { } credentials)
                {
                    WebhookLog.Failed(logger, source.App, commit, $"the credentials of {source.Url} cannot be opened with the server's key ring: set the source again");
                    return;
                }
                CloneUrl.AddCredentials(environment, credentials);
            }
            var fetch = await GitProcess.RunAsync(["--git-dir", repository, "fetch", "--quiet", "--no-tags", "--", source.Url,
                $"+{RefUpdate.BranchPrefix}{branch}:{RefUpdate.BranchPrefix}{branch}"], environment, ct).ConfigureAwait(false);
            if (!fetch.Succeeded)
            {
                WebhookLog.Failed(logger, source.App, commit, $"git fetch {source.Url} {branch} failed: {fetch.Error.Trim()}");
                return;
            }
            var show = await GitProcess.RunAsync(["--git-dir", repository, "show", "-s", "--format=%H%x00%an <%ae>", commit, "--"], environment, ct).ConfigureAwait(false);
            var fields = show.Output.TrimEnd('\n').Split('\0');
            if (!show.Succeeded || fields.Length != 2 || fields[0] != commit)
            {
                WebhookLog.Failed(logger, source.App, commit, $"the fetched {branch} has no commit {commit}");
                return;
            }
            var release = new ReleaseSource(commit, branch, fields[1]);
            var team = source.Team == Model.AppSpec.DefaultTeam ? null : source.Team;
            string? refusal;
            if (preview)
            {
                refusal = Model.Environments.EnvironmentNames.Check(source.App, deployTo) ?? await environments.EnsurePreviewAsync(source.App, deployTo,
                    new Model.Environments.PreviewSpec(branch, baseEnvironment, Model.Environments.PreviewNames.Host(branch, source.App, serverOptions.PreviewDomain), default),
                    team, ct).ConfigureAwait(false);
                previews.Pushed();
            }
            else
            {
                await repositories.PointHeadAtAsync(repository, source.Branch, ct).ConfigureAwait(false);
                refusal = await environments.EnsureAsync(source.App, deployTo, team, ct).ConfigureAwait(false);
            }
            if (refusal is not null)
            {
                WebhookLog.Failed(logger, source.App, commit, refusal);
                return;
            }
            await using var lease = await pushes.ExportAsync(repository, commit, environment, ct).ConfigureAwait(false);
            if (PushDeployer.ComposeFilesIn(lease.Directory) is not { } files)
            {
                WebhookLog.Failed(logger, source.App, commit, PushDeployer.NoComposeFile(release));
                return;
            }
            // The forge is no Gantry user: the delivery deploys as a deployer of the team the admin named, never as an admin.
            var principal = new Principal($"webhook ({source.SetBy})", PrincipalKind.UserToken, new Dictionary<string, Role> { [source.Team] = Role.Deployer }, false);
            var outcome = await deploys.DeployAsync(instance, new DeployRequest { Files = files, Team = team, Environment = deployTo }, lease.Directory, principal, ct, release,
                build: (spec, token) => builds.RunAsync(new Builds.BuildRequest(source.App, instance, release, principal.Name), spec, _ => Task.CompletedTask, token)).ConfigureAwait(false);
            if (outcome.Kind == ChangeOutcomeKind.Accepted)
            {
                WebhookLog.Deployed(logger, source.App, commit, outcome.Response?.Release ?? 0);
            }
            else
            {
                WebhookLog.Failed(logger, source.App, commit, outcome.Reason ?? string.Join("; ", outcome.Errors.Select(e => $"{e.File}:{e.Line}:{e.Column}: {e.Message}")));
            }
        }
        catch (Exception e) when (e is IOException or StoreException or Controllers.Engine.EngineException or Bundles.BundleException or OperationCanceledException)
        {
            WebhookLog.Failed(logger, source.App, commit, e.Message);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<RepositorySource?> ReadAsync(string app, CancellationToken ct) =>
        await store.GetAsync(RepositorySource.Kind, app, ct).ConfigureAwait(false) is { } resource
            ? JsonSerializer.Deserialize(resource.SpecJson, WebhookJsonContext.Default.RepositorySource)
            : null;

    private static string Describe(RepositorySource s) =>
        $"app {s.App} follows {s.Url}{(s.SealedCredentials is null ? "" : " (with credentials, sealed)")} ({s.Branch}), team {s.Team}, deploying to {s.Environment ?? "the push environment"}; webhook: POST /api/v1/webhooks/{s.App} (GitHub, GitLab or Gitea push events, signed with the secret)\n";

    [GeneratedRegex(@"^[A-Za-z0-9._][A-Za-z0-9._/-]*$")]
    private static partial Regex BranchPattern();
}

internal static partial class WebhookLog
{
    [LoggerMessage(7201, LogLevel.Warning, "A {Provider} webhook for {App} did not prove its secret: refused")]
    public static partial void SignatureRefused(ILogger logger, string app, string provider);

    [LoggerMessage(7202, LogLevel.Information, "A replayed webhook delivery {Delivery} for {App} was ignored")]
    public static partial void ReplayIgnored(ILogger logger, string app, string delivery);

    [LoggerMessage(7203, LogLevel.Information, "A {Provider} webhook {Delivery} for {App}: deploying {Commit}")]
    public static partial void Deploying(ILogger logger, string app, string provider, string delivery, string commit);

    [LoggerMessage(7204, LogLevel.Information, "The webhook deploy of {App} at {Commit} made release {Release}")]
    public static partial void Deployed(ILogger logger, string app, string commit, long release);

    [LoggerMessage(7205, LogLevel.Warning, "The webhook deploy of {App} at {Commit} did not deploy: {Reason}")]
    public static partial void Failed(ILogger logger, string app, string commit, string reason);
}
