using System.Collections.Concurrent;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Controllers.Runtime;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Model.Environments;
using Gantry.Model.Releases;
using Gantry.Server.Apps;
using Gantry.Server.Builds;
using Gantry.Server.Identity;
using Gantry.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Environments;

/// <summary>
/// The gates' edge (docs/decisions/0032): a release that goes live in an environment whose gate is `auto` is promoted to the
/// gate's target (<see cref="Promotion"/>, identical images, the target's own settings), once. A push that waits for its
/// rollout promotes itself and shows it (<see cref="FollowPushAsync"/>); this loop covers the rest (`-o async`, webhooks, a
/// restart). It runs when an app changes (the catalog's notice), never on a timer: at rest it reads and writes nothing.
/// </summary>
public sealed partial class AutoPromoter(AppCatalog catalog, IResourceStore store, ReleaseBook book, EnvironmentService environments, BuildService builds,
    Promotion promotion, Git.PushRollout rollout, ILogger<AutoPromoter> logger) : BackgroundService
{
    private static readonly TimeSpan LiveWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan LivePoll = TimeSpan.FromMilliseconds(200);

    private readonly Wakeup _changed = new();

    /// <summary>Releases already promoted or tried (instance and number), so a refusal is not retried on every change.</summary>
    private readonly ConcurrentDictionary<(string Instance, long Release), bool> _done = new();

    /// <summary>Instances a waiting push follows: it promotes them itself.</summary>
    private readonly ConcurrentDictionary<string, int> _held = new(StringComparer.Ordinal);

    /// <summary>The app's pushes and how far each went.</summary>
    public async Task<IReadOnlyList<PipelineRun>?> PipelinesAsync(string app, CancellationToken ct)
    {
        var records = await environments.RecordsAsync(app, ct).ConfigureAwait(false);
        var production = await store.GetAppAsync(app, ct).ConfigureAwait(false);
        if (records.Count == 0 && production is null)
        {
            return null;
        }
        var all = records.Any(r => r.Name == EnvironmentNames.Production) || production is null
            ? records : [.. records, new EnvironmentRecord { App = app, Name = EnvironmentNames.Production }];
        var views = new List<PipelineEnvironment>();
        foreach (var record in all)
        {
            views.Add(await ReadAsync(record, ct).ConfigureAwait(false));
        }
        return Pipelines.Compose(await builds.ListAsync(app, ct).ConfigureAwait(false), views);
    }

    /// <summary>While a push follows <paramref name="instance"/>'s rollout, this loop leaves its promotion to the push.</summary>
    public IDisposable Hold(string instance)
    {
        _held.AddOrUpdate(instance, 1, (_, n) => n + 1);
        return new Release(() =>
        {
            _held.AddOrUpdate(instance, 0, (_, n) => n - 1);
            Poke();
        });
    }

    /// <summary>
    /// After a push's release runs in <paramref name="instance"/>: what its gate does, on the push's output. An `auto` gate
    /// promotes now, as the pusher, and follows the target's rollout; an `approval` gate says how to approve.
    /// </summary>
    /// <param name="git">The push's git environment (its quarantine: the pushed commit is not in the repository yet).</param>
    public async Task FollowPushAsync(string instance, Principal pusher, IReadOnlyDictionary<string, string> git, Func<string, Task> say, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(say);
        if (await environments.ForInstanceAsync(instance, ct).ConfigureAwait(false) is not { Gate: { } gate } record)
        {
            return;
        }
        if (gate.Mode == PromotionGate.Approval)
        {
            await say($"gantry: {record.Name}'s gate holds it for {gate.To}: approve with 'gantry promote {record.App} --from {record.Name} --to {gate.To}'").ConfigureAwait(false);
            return;
        }
        // The push saw its release run; the reconciler marks it live in the release book a moment after (the promotion takes
        // the live release), so wait for that, within the push's own time.
        var source = await ReadAsync(record, ct).ConfigureAwait(false);
        for (var waited = TimeSpan.Zero; Phase(source) is ReleasePhases.Pending or ReleasePhases.Deploying && waited < LiveWait; waited += LivePoll)
        {
            await Task.Delay(LivePoll, ct).ConfigureAwait(false);
            source = await ReadAsync(record, ct).ConfigureAwait(false);
        }
        var target = await ReadAsync(new EnvironmentRecord { App = record.App, Name = gate.To }, ct).ConfigureAwait(false);
        if (Pipelines.ToPromote(source, target) is not { } release || !_done.TryAdd((instance, release.Number), true))
        {
            return;
        }
        await say($"gantry: {record.Name}'s gate promotes release {release.Number} to {gate.To} ({target.Instance})").ConfigureAwait(false);
        using var watch = rollout.Watch(target.Instance);
        var outcome = await promotion.PromoteAsync(record.App, new PromoteRequest { From = record.Name, To = gate.To }, pusher, ct, git).ConfigureAwait(false);
        if (outcome.Kind != ChangeOutcomeKind.Accepted || outcome.Response is not { } response)
        {
            var reason = outcome.Reason ?? string.Join("; ", outcome.Errors.Select(e => e.Message));
            LogRefused(logger, record.Instance, gate.To, reason);
            await say($"error: the promotion to {gate.To} was refused: {reason}; {record.Name} keeps release {release.Number}").ConfigureAwait(false);
            return;
        }
        if (!response.Changed && response.Release is null)
        {
            await say($"gantry: {gate.To} already runs these images with these settings").ConfigureAwait(false);
            return;
        }
        var result = await rollout.FollowAsync(watch, response.Generation, response.EventCursor, say, timeout, ct).ConfigureAwait(false);
        await say(result.Result == Git.PushRolloutResult.Running
            ? $"gantry: {target.Instance} runs release {response.Release} (promoted from {record.Name})"
            : $"gantry: the promotion to {gate.To} (release {response.Release}): {result.Message}").ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        catalog.Changed += Poke;
        try
        {
            // At start once: a release that went live while the server was down, or a promotion a crash cut short.
            Poke();
            while (!stoppingToken.IsCancellationRequested)
            {
                await _changed.WaitAsync(stoppingToken).ConfigureAwait(false);
                try
                {
                    await PassAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is StoreException or IOException or InvalidOperationException)
                {
                    LogFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            catalog.Changed -= Poke;
        }
    }

    private async Task PassAsync(CancellationToken ct)
    {
        foreach (var record in await environments.GatedAsync(ct).ConfigureAwait(false))
        {
            if (record.Gate is not { Mode: PromotionGate.Auto } gate || _held.GetValueOrDefault(record.Instance) > 0)
            {
                continue;
            }
            var source = await ReadAsync(record, ct).ConfigureAwait(false);
            var target = await ReadAsync(new EnvironmentRecord { App = record.App, Name = gate.To }, ct).ConfigureAwait(false);
            if (Pipelines.ToPromote(source, target) is not { } release || !_done.TryAdd((record.Instance, release.Number), true))
            {
                continue;
            }
            var team = (await store.GetAppAsync(record.Instance, ct).ConfigureAwait(false))?.Spec.TeamName ?? Model.AppSpec.DefaultTeam;
            // As the one who made the release, with no more than a deployer's rights in its team.
            var by = new Principal($"{release.CreatedBy} (auto-promotion)", PrincipalKind.UserToken, new Dictionary<string, Role> { [team] = Role.Deployer }, false);
            var outcome = await promotion.PromoteAsync(record.App, new PromoteRequest { From = record.Name, To = gate.To }, by, ct).ConfigureAwait(false);
            if (outcome.Kind == ChangeOutcomeKind.Accepted)
            {
                LogPromoted(logger, record.Instance, release.Number, gate.To, outcome.Response?.Release);
            }
            else
            {
                LogRefused(logger, record.Instance, gate.To, outcome.Reason ?? string.Join("; ", outcome.Errors.Select(e => e.Message)));
            }
        }
    }

    private async Task<PipelineEnvironment> ReadAsync(EnvironmentRecord record, CancellationToken ct)
    {
        var instance = await store.GetAppAsync(record.Instance, ct).ConfigureAwait(false);
        var releases = instance is null ? [] : await book.ListAsync(record.Instance, ct).ConfigureAwait(false);
        return new PipelineEnvironment(record.Name, record.Instance, record.Gate, instance?.Spec.Release,
            [.. releases.Select(r => new PipelineRelease(r.Record.Number, r.Record.Source, r.Record.Cause, r.State.Phase, r.Record.CreatedAt, r.Record.CreatedBy))])
        {
            IsPreview = record.Preview is not null,
        };
    }

    private static string? Phase(PipelineEnvironment environment) =>
        environment.Releases.FirstOrDefault(r => r.Number == environment.Current)?.Phase;

    private void Poke() => _changed.Set();

    private sealed class Release(Action onDispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                onDispose();
            }
        }
    }

    [LoggerMessage(9401, LogLevel.Information, "{Instance}: release {Release} promoted to {Target} by its gate (release {TargetRelease})")]
    private static partial void LogPromoted(ILogger logger, string instance, long release, string target, long? targetRelease);

    [LoggerMessage(9402, LogLevel.Warning, "{Instance}: its gate's promotion to {Target} was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string instance, string target, string reason);

    [LoggerMessage(9403, LogLevel.Warning, "auto-promotion pass failed: {Message}")]
    private static partial void LogFailed(ILogger logger, string message);
}
