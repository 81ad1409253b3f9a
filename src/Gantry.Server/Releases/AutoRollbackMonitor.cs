using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Model;
using Gantry.Router.Contracts.Requests;
using Gantry.Server.Requests;
using Gantry.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Releases;

/// <summary>
/// Watches every app's newest release and rolls it back by itself: when its rollout failed before
/// go-live (the old release still serves), and when, within the watch window after go-live, the router's
/// traffic shows it worse than the release before it (<see cref="ReleaseAnalysis"/>). Each release is
/// judged once; the verdict is recorded with the rollback.
/// </summary>
public sealed partial class AutoRollbackMonitor(IResourceStore store, RequestLog requests, ReleaseService releases, TimeProvider time, ILogger<AutoRollbackMonitor> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly HashSet<(string App, long Release)> _decided = [];

    /// <summary>
    /// Apps with nothing to watch (no rollout under watch, or its window has passed), by the resource version that
    /// was judged: the checks that do run parse only the apps still under watch.
    /// </summary>
    private readonly Dictionary<string, long> _quiet = new(StringComparer.Ordinal);

    private volatile bool _changed = true;
    private volatile int _underWatch;
    // Released by the watch when an app changes: at rest (nothing under watch) the loop sleeps on it instead of ticking.
    private readonly Gantry.Controllers.Runtime.Wakeup _appChanged = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watch = WatchChangesAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // At rest (no app changed, no release under watch) there is nothing to judge: not even a timer runs.
                if (!_changed && _underWatch == 0)
                {
                    await _appChanged.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
                // Paces the checks while a release is under watch, and gathers a burst of app changes into one check.
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
                _changed = false;
                await CheckAllAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is StoreException or JsonException or InvalidOperationException)
            {
                LogCheckFailed(logger, e);
            }
        }
        try
        {
            await watch.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Notes that some app changed, so the next tick looks again; a watch that fails is restarted.</summary>
    private async Task WatchChangesAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in store.WatchAsync(AppKinds.App, ct).ConfigureAwait(false))
                {
                    Changed();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (StoreException e)
            {
                LogCheckFailed(logger, e);
            }
            Changed();
            await Task.Delay(Interval, time, ct).ConfigureAwait(false);
        }
    }

    private void Changed()
    {
        _changed = true;
        _appChanged.Set();
    }

    public override void Dispose()
    {
        _appChanged.Dispose();
        base.Dispose();
    }

    /// <summary>One look at every app (public for tests).</summary>
    public async Task CheckAllAsync(CancellationToken ct)
    {
        var resources = await store.ListAsync(AppKinds.App, ct).ConfigureAwait(false);
        var underWatch = 0;
        if (_quiet.Count > resources.Count)
        {
            var present = resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _quiet.Keys.Where(k => !present.Contains(k)).ToList())
            {
                _quiet.Remove(gone);
            }
        }
        foreach (var resource in resources)
        {
            if (resource.DeletionRequestedAt is not null
                || (_quiet.TryGetValue(resource.Name, out var quietAt) && quietAt == resource.ResourceVersion)
                || StoredApp.From(resource) is not { Status: { } status } app)
            {
                continue;
            }
            var spec = app.Spec;
            if (spec.Release <= 0 || status.Release != spec.Release || resource.ObservedGeneration != resource.Generation || _decided.Contains((spec.Name, spec.Release)))
            {
                continue;
            }
            if (!UnderWatch(spec, status))
            {
                _quiet[resource.Name] = resource.ResourceVersion;
                continue;
            }
            _quiet.Remove(resource.Name);
            underWatch++;
            if (Judge(spec, status) is { } verdict)
            {
                _decided.Add((spec.Name, spec.Release));
                LogRollingBack(logger, spec.Name, spec.Release, verdict.Reason);
                var outcome = await releases.RollbackAsync(spec.Name, verdict.To, ReleaseCauses.AutoRollback, "gantry", verdict.Reason, ct).ConfigureAwait(false);
                if (outcome.Response is null)
                {
                    LogRollbackRefused(logger, spec.Name, outcome.Reason ?? "");
                }
            }
        }
        _underWatch = underWatch;
    }

    private (long? To, string Reason)? Judge(AppSpec spec, AppStatus status)
    {
        foreach (var service in status.Services)
        {
            var rollout = service.Rollout;
            if (rollout is null || rollout.Release != spec.Release)
            {
                continue;
            }
            if (rollout.State == RolloutStates.Failed && service.LiveSpecHash is { } live && live != service.SpecHash)
            {
                return (service.LiveRelease is > 0 && service.LiveRelease != spec.Release ? service.LiveRelease : null,
                    $"release {spec.Release} failed before go-live ({service.Name}: {rollout.Message}); release {service.LiveRelease} kept serving");
            }
            var policy = spec.FindService(service.Name)?.Release?.AutoRollback;
            if (policy is not null && rollout.State == RolloutStates.Canary && rollout.StepStartedAt is { } stepAt
                && service.SpecHash is { } canary && service.LiveSpecHash is { } serving && canary != serving)
            {
                // Canary: the new release's share against the live release's, over the same minutes.
                var sample = requests.Newest(spec.Name, requests.CapacityPerApp).Where(r => r.Service == service.Name && r.Time >= stepAt).ToList();
                var judged = ReleaseAnalysis.Judge(sample.Where(r => Serves(r, canary)).ToList(), sample.Where(r => Serves(r, serving)).ToList(), policy);
                if (judged.Regressed)
                {
                    return (service.LiveRelease is > 0 ? service.LiveRelease : null,
                        $"release {spec.Release} regressed at its {rollout.CanaryPercent}% canary step ({service.Name}: {judged.Reason})");
                }
                continue;
            }
            if (policy is null || rollout.State != RolloutStates.Live || rollout.LiveAt is not { } liveAt || service.Warm is not { } warm
                || service.LiveSpecHash is not { } fresh || time.GetUtcNow() - liveAt > policy.Window)
            {
                continue;
            }
            var recent = requests.Newest(spec.Name, requests.CapacityPerApp).Where(r => r.Service == service.Name).ToList();
            // After the swap only the new release is routed: requests no replica could take count against it too.
            var served = recent.Where(r => r.Time >= liveAt && (Serves(r, fresh) || (string.IsNullOrEmpty(r.Replica) && r.Outcome == RequestOutcome.NoDestination))).ToList();
            var before = recent.Where(r => r.Time < liveAt && r.Time >= liveAt - policy.Window && Serves(r, warm.SpecHash)).ToList();
            var verdict = ReleaseAnalysis.Judge(served, before, policy);
            if (verdict.Regressed)
            {
                return (warm.Release > 0 ? warm.Release : null, $"release {spec.Release} regressed after go-live ({service.Name}: {verdict.Reason})");
            }
        }
        return null;
    }

    /// <summary>
    /// True while some service's rollout of the current release may still be judged: failed before go-live, at a
    /// canary step with an auto-rollback policy, or live within its policy's window. Otherwise nothing can change
    /// the verdict until the app's record changes.
    /// </summary>
    private bool UnderWatch(AppSpec spec, AppStatus status) => status.Services.Any(service =>
        service.Rollout is { } rollout && rollout.Release == spec.Release
        && ((rollout.State == RolloutStates.Failed && service.LiveSpecHash is { } live && live != service.SpecHash)
            || (spec.FindService(service.Name)?.Release?.AutoRollback is { } policy
                && (rollout.State == RolloutStates.Canary || (rollout.LiveAt is { } liveAt && time.GetUtcNow() - liveAt <= policy.Window)))));

    /// <summary>Replica names end with the first 8 characters of their spec hash.</summary>
    private static bool Serves(RequestReport report, string specHash) =>
        report.Replica is { } replica && specHash.Length >= 8 && replica.EndsWith("-" + specHash[..8], StringComparison.Ordinal);

    [LoggerMessage(3101, LogLevel.Warning, "Rolling back {App} release {Release} automatically: {Reason}")]
    private static partial void LogRollingBack(ILogger logger, string app, long release, string reason);

    [LoggerMessage(3102, LogLevel.Warning, "Automatic rollback of {App} was refused: {Error}")]
    private static partial void LogRollbackRefused(ILogger logger, string app, string error);

    [LoggerMessage(3103, LogLevel.Warning, "Release check failed")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
