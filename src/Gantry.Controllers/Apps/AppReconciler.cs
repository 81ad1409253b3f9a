using System.Collections.Concurrent;
using System.Text.Json;
using Gantry.Controllers.Releases;
using Gantry.Controllers.Engine;
using Gantry.Controllers.Planning;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Controllers.Apps;

/// <summary>
/// One level-based reconcile pass for one app: read the desired state, observe the engine, plan with
/// the pure <see cref="AppPlanner"/>, apply through the driver, write status and events. Safe to run
/// after a crash at any point: deterministic container names turn a repeated create into a conflict,
/// and the next pass re-observes.
/// </summary>
public sealed class AppReconciler(IResourceStore store, IEngineDriver engine, ImageResolver images, IAppEvents events, AppControllerOptions options, TimeProvider time,
    ReleaseBook releases, ITrafficGate traffic, ILogger<AppReconciler>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly ConcurrentDictionary<(string App, long Release), string> _recordedImages = new();
    private readonly ConcurrentDictionary<string, byte> _removing = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _removals = new(8);
    private readonly ConcurrentDictionary<string, int> _quietWaits = new(StringComparer.Ordinal);

    /// <summary>Services that lost replicas with a cluster node and do not run their desired count again yet, per app.</summary>
    private readonly ConcurrentDictionary<string, HashSet<string>> _lostWithNodes = new(StringComparer.Ordinal);

    /// <summary>Reconciles the app and returns when it wants to be looked at again (null: at the next resync).</summary>
    public async Task<TimeSpan?> ReconcileAsync(string appName, CancellationToken ct)
    {
        var resource = await store.GetAsync(AppKinds.App, appName, ct).ConfigureAwait(false);
        if (resource is null || resource.DeletionRequestedAt is not null)
        {
            return await TearDownAsync(appName, resource, ct).ConfigureAwait(false);
        }

        var (app, previous, _) = StoredApp.From(resource);

        // The three reads of the engine do not depend on each other: a rollback's swap waits for the slowest, not the sum.
        var resolving = images.ResolveAsync(app, resource.Generation, ct);
        var ensuring = EnsureNetworksAndVolumesAsync(app, ct);
        var listing = engine.ListContainersAsync(app.Name, ct);
        await Task.WhenAll(resolving, ensuring, listing).ConfigureAwait(false);
        var (imageIds, references, failures) = await resolving.ConfigureAwait(false);
        var observed = await listing.ConfigureAwait(false);
        // Read after the listing, which asked the same (cached for a moment on a Swarm, constant on one engine).
        var cluster = await engine.IsClusterAsync(ct).ConfigureAwait(false);
        var previousReplicas = (previous?.Services ?? []).SelectMany(s => s.Replicas).GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.First());
        var plan = AppPlanner.Plan(new PlanInput(app, resource.Generation, observed, time.GetUtcNow())
        {
            ImageIds = imageIds,
            PreviousReplicas = previousReplicas,
            Defaults = options.Defaults,
            Backoff = options.Backoff,
            PreviousServices = (previous?.Services ?? []).GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First()),
            IsDrained = traffic.IsDrained,
            IsRoutable = traffic.IsRoutable,
            EngineChoosesScaleIn = cluster,
        });

        var status = plan.Status;
        if (failures.Count > 0)
        {
            var (service, reason) = failures.First();
            status = status with { Phase = AppPhase.Failed, Message = $"{service}: {reason}" };
        }
        status = await DescribeDeathsAsync(status, previous, ct).ConfigureAwait(false);
        // Status first: the route table follows it, so a swap or a drain reaches the routers without waiting for
        // container stops (a grace period each) or event writes. Removed replicas are already out of this status.
        // Written only when it says something new: a converged app's passes write nothing.
        var changed = resource.ObservedGeneration != resource.Generation || !AppStatusMeaning.Same(previous, status);
        if (changed)
        {
            await store.UpdateStatusAsync(AppKinds.App, app.Name, StoredApp.Json(status), resource.Generation, null, ct).ConfigureAwait(false);
        }

        await ApplyAsync(app, plan, references, ct).ConfigureAwait(false);
        foreach (var note in plan.Notes)
        {
            var reason = note.Kind == PlanNoteKind.TrafficMoved ? EventReasons.TrafficSwitched : EventReasons.ReplicaDraining;
            await events.RecordAsync(app.Name, note.Service, null, EventTypes.Normal, reason, $"{note.Service}: {note.Message}", ct).ConfigureAwait(false);
        }
        await RecordTransitionsAsync(app.Name, previous, status, ct).ConfigureAwait(false);
        await RecordNodeLossAsync(app.Name, previous, status, ct).ConfigureAwait(false);
        await RecordReleaseAsync(app, imageIds, references, previous, status, ct).ConfigureAwait(false);

        if (plan.Create.Count + plan.Remove.Count + plan.Start.Count > 0)
        {
            return options.ProgressInterval;
        }
        TimeSpan? untilWake = null;
        if (plan.NextWakeAt is { } wake)
        {
            // A time the planner asked for (a restart's backoff, a drain poll, a canary step, a warm set's expiry).
            var until = wake - time.GetUtcNow();
            untilWake = until < options.ProgressInterval ? options.ProgressInterval : until;
        }
        // The slowest the polling below gets: a time the planner asked for within it is kept exactly.
        var slowestPoll = options.ProgressInterval * (1 << 6);
        if (untilWake <= slowestPoll)
        {
            return untilWake;
        }
        if (!plan.IsConverged || status.Phase is AppPhase.Deploying)
        {
            // Waiting on something no event announces (on a Swarm, a task getting healthy): look again soon while things
            // move, then less and less often (a broken app must not cost two passes a second for ever; an event still wakes
            // it at once). A later time the planner asked for, such as a warm set's expiry minutes away, does not put it off.
            var quiet = changed ? 0 : _quietWaits.AddOrUpdate(app.Name, 1, (_, n) => Math.Min(n + 1, 6));
            if (changed)
            {
                _quietWaits.TryRemove(app.Name, out _);
            }
            return options.ProgressInterval * (1 << quiet);
        }
        _quietWaits.TryRemove(app.Name, out _);
        return untilWake;
    }

    /// <param name="references">On a cluster, what each service's Swarm service names in place of its image id (by digest).</param>
    private async Task ApplyAsync(AppSpec app, AppPlan plan, IReadOnlyDictionary<string, string> references, CancellationToken ct)
    {
        // Stops run in parallel: each may wait its whole grace period for a process that ignores SIGTERM, and a
        // scale-in of ten replicas must not take ten grace periods. A stop that no create of this pass waits for
        // (stop-first, recreate, a fixed host port) runs in the background, so the app's next pass (a rollback,
        // a swap) is not held up by it; the next passes skip a container already being removed.
        var gating = plan.Create.Select(c => c.Service).ToHashSet(StringComparer.Ordinal);
        var awaited = new List<Task>();
        foreach (var removal in plan.Remove)
        {
            if (!_removing.TryAdd(removal.Container.Id, 0))
            {
                continue;
            }
            var task = RemoveAsync(app, removal, ct);
            if (gating.Contains(removal.Container.Service ?? ""))
            {
                awaited.Add(task);
            }
            else if (!task.IsCompleted)
            {
                _background[task] = 0;
                _ = task.ContinueWith(done => _background.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        await Task.WhenAll(awaited).ConfigureAwait(false);

        await Parallel.ForEachAsync(plan.Create, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (create, token) =>
        {
            string id;
            try
            {
                // The spec hash stays the image id's; only what the engine is told to run becomes the digest reference.
                var run = references.TryGetValue(create.Service, out var reference) ? create with { Image = reference } : create;
                id = await engine.CreateContainerAsync(run, token).ConfigureAwait(false);
            }
            catch (EngineConflictException)
            {
                // Created by an earlier pass that crashed before it could see it: the next pass
                // observes it through its labels. Never create a second one.
                return;
            }
            await events.RecordAsync(app.Name, create.Service, create.Name, EventTypes.Normal, EventReasons.ReplicaCreated,
                $"created {create.Name} (memory {Resources.Bytes.Format(create.MemoryLimitBytes)}, cpus {create.NanoCpus / 1e9:0.##})", token).ConfigureAwait(false);
            await engine.StartContainerAsync(id, token).ConfigureAwait(false);
        }).ConfigureAwait(false);

        foreach (var start in plan.Start)
        {
            await engine.StartContainerAsync(start.Container.Id, ct).ConfigureAwait(false);
            if (start.Restarts > 0)
            {
                await events.RecordAsync(app.Name, start.Container.Service, start.Container.Name, EventTypes.Warning, EventReasons.ReplicaBackoff,
                    $"restarted {start.Container.Name} (restart {start.Restarts})", ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Completes when every stop running in the background has ended (shutdown and tests wait for it); none of them throws.</summary>
    public Task BackgroundStops => Task.WhenAll(_background.Keys);

    private async Task RemoveAsync(AppSpec app, PlannedRemoval removal, CancellationToken ct)
    {
        await Task.Yield();
        await _removals.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var service = app.FindService(removal.Container.Service ?? "");
            await StopAndRemoveAsync(removal.Container, service?.StopGracePeriod, ct).ConfigureAwait(false);
            var reason = removal.Kind == RemovalKind.Orphan ? EventReasons.OrphanRemoved : EventReasons.ReplicaRemoved;
            await events.RecordAsync(app.Name, removal.Container.Service, removal.Container.Name, EventTypes.Normal, reason, $"removed {removal.Container.Name}: {removal.Reason}", ct).ConfigureAwait(false);
        }
        catch (EngineException e)
        {
            // The next pass observes the container again and retries.
            await events.RecordAsync(app.Name, removal.Container.Service, removal.Container.Name, EventTypes.Warning, EventReasons.EngineError, $"could not remove {removal.Container.Name}: {e.Message}", CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (StoreException)
        {
            // Only the event was lost; the container is gone.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A defect, not a state of the world: say so where people look (a stop in the background has no caller to
            // throw to); the next pass observes the container again and retries.
            AppControllerLog.RemovalFailed(_logger, e, removal.Container.Name);
        }
        finally
        {
            _removals.Release();
            _removing.TryRemove(removal.Container.Id, out _);
        }
    }

    private async Task EnsureNetworksAndVolumesAsync(AppSpec app, CancellationToken ct)
    {
        var networks = (await engine.ListNetworksAsync(app.Name, ct).ConfigureAwait(false)).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var used = app.Services.SelectMany(s => s.Networks).Select(n => n.Network).ToHashSet(StringComparer.Ordinal);
        foreach (var network in app.Networks.Where(n => !n.External && used.Contains(n.Name)))
        {
            if (!networks.Contains(Names.Network(app.Name, network)))
            {
                await engine.CreateNetworkAsync(app.Name, network, ct).ConfigureAwait(false);
                await events.RecordAsync(app.Name, null, null, EventTypes.Normal, EventReasons.NetworkCreated, $"created network {Names.Network(app.Name, network)}", ct).ConfigureAwait(false);
            }
        }

        var volumes = (await engine.ListVolumesAsync(app.Name, ct).ConfigureAwait(false)).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var volume in app.Volumes.Where(v => !v.External))
        {
            if (!volumes.Contains(Names.Volume(app.Name, volume)))
            {
                await engine.CreateVolumeAsync(app.Name, volume, ct).ConfigureAwait(false);
                await events.RecordAsync(app.Name, null, null, EventTypes.Normal, EventReasons.VolumeCreated, $"created volume {Names.Volume(app.Name, volume)}", ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Removes everything the app owns on the engine, then the app's record: `gantry rm` leaves nothing behind.</summary>
    private async Task<TimeSpan?> TearDownAsync(string appName, StoredResource? resource, CancellationToken ct)
    {
        var spec = resource is null ? null : StoredApp.From(resource).Spec;
        var all = await engine.ListContainersAsync(appName, ct).ConfigureAwait(false);
        if (resource is null)
        {
            // No record: the containers of a lost app, or those of a push's build for an app not stored yet (the build is a
            // step before the release, docs/decisions/0025; its LABEL steps' containers carry the app's labels but no
            // service). Replicas go; a build's steps and images are left to the build.
            all = all.Where(c => c.Service is not null).ToList();
        }
        // Containers a background stop is already removing are left to it; the pass comes back for the rest.
        var containers = all.Where(c => !_removing.ContainsKey(c.Id)).ToList();
        await Parallel.ForEachAsync(containers, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (container, token) =>
        {
            await StopAndRemoveAsync(container, spec?.FindService(container.Service ?? "")?.StopGracePeriod, token).ConfigureAwait(false);
            await events.RecordAsync(appName, container.Service, container.Name, EventTypes.Normal,
                resource is null ? EventReasons.OrphanRemoved : EventReasons.ReplicaRemoved, $"removed {container.Name}", token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        if (containers.Count < all.Count)
        {
            return options.ProgressInterval;
        }
        await engine.RemoveAppLeftoversAsync(appName, ct).ConfigureAwait(false);
        foreach (var network in await engine.ListNetworksAsync(appName, ct).ConfigureAwait(false))
        {
            await engine.RemoveNetworkAsync(network.Name, ct).ConfigureAwait(false);
        }
        foreach (var volume in await engine.ListVolumesAsync(appName, ct).ConfigureAwait(false))
        {
            await engine.RemoveVolumeAsync(volume.Name, ct).ConfigureAwait(false);
        }
        if (resource is not null)
        {
            await engine.RemoveBuiltImagesAsync(appName, ct).ConfigureAwait(false);
        }
        images.Forget(appName);
        // The releases and the record go together: a crash leaves both or neither.
        var forget = await releases.DeleteAllAsync(new StoreBatch(), appName, ct).ConfigureAwait(false);
        if (resource is not null)
        {
            forget.Delete(AppKinds.App, appName);
        }
        else if (await store.GetAsync(AppKinds.App, appName, ct).ConfigureAwait(false) is not null)
        {
            // A push builds before its app is stored, and the build's events woke this pass: its deploy may have stored the app
            // with its first release (one write) since this pass read no record. The releases were listed before the app is read
            // again, so a release listed here that a deploy made has its app by now: they are the new app's, not a lost one's.
            // The store's watch brings the new app back to the controller.
            return null;
        }
        await store.CommitAsync(forget, ct).ConfigureAwait(false);
        if (resource is not null)
        {
            await events.RecordAsync(appName, null, null, EventTypes.Normal, EventReasons.AppDeleted, $"app {appName} removed", ct).ConfigureAwait(false);
        }
        return null;
    }

    private async Task StopAndRemoveAsync(ObservedContainer container, TimeSpan? grace, CancellationToken ct)
    {
        if (container.IsRunning)
        {
            await engine.StopContainerAsync(container.Id, grace ?? TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        }
        await engine.RemoveContainerAsync(container.Id, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps the app's release records true: the image ids its services resolved to (so a rollback runs
    /// exactly them), deploying until every service's rollout is live, then live (and the one before it
    /// superseded), or failed with the reason.
    /// </summary>
    private async Task RecordReleaseAsync(AppSpec app, IReadOnlyDictionary<string, string> imageIds, IReadOnlyDictionary<string, string> references,
        AppStatus? previous, AppStatus status, CancellationToken ct)
    {
        if (app.Release <= 0)
        {
            return;
        }
        var ids = new SortedDictionary<string, string>(imageIds.ToDictionary(), StringComparer.Ordinal);
        var digests = new SortedDictionary<string, string>(references.ToDictionary(), StringComparer.Ordinal);
        var fingerprint = string.Join(",", ids.Concat(digests).Select(kv => kv.Key + "=" + kv.Value));
        if (ids.Count > 0 && _recordedImages.GetValueOrDefault((app.Name, app.Release)) != fingerprint)
        {
            await releases.UpdateStateAsync(app.Name, app.Release, s => s with
            {
                ImageIds = ids,
                ImageDigests = digests,
                Phase = s.Phase == ReleasePhases.Pending ? ReleasePhases.Deploying : s.Phase,
            }, ct).ConfigureAwait(false);
            _recordedImages[(app.Name, app.Release)] = fingerprint;
        }

        var rollouts = status.Services.Where(s => s.Rollout?.Release == app.Release).Select(s => s.Rollout!).ToList();
        var wasLive = previous?.Release == app.Release && previous.Services.All(s => s.Rollout is { State: RolloutStates.Live } r && r.Release == app.Release);
        var wasFailed = previous?.Release == app.Release && previous.Services.Any(s => s.Rollout is { State: RolloutStates.Failed } r && r.Release == app.Release);
        if (rollouts.Count == status.Services.Count && rollouts.All(r => r.State == RolloutStates.Live) && !wasLive)
        {
            var now = time.GetUtcNow();
            await releases.UpdateStateAsync(app.Name, app.Release, s => s with { Phase = ReleasePhases.Live, LiveAt = s.LiveAt ?? now, EndedAt = null, Reason = null }, ct).ConfigureAwait(false);
            foreach (var other in await releases.ListAsync(app.Name, ct).ConfigureAwait(false))
            {
                if (other.Record.Number != app.Release && other.State.Phase is ReleasePhases.Live or ReleasePhases.Deploying or ReleasePhases.Pending)
                {
                    await releases.UpdateStateAsync(app.Name, other.Record.Number, s => s with { Phase = ReleasePhases.Superseded, EndedAt = s.EndedAt ?? now }, ct).ConfigureAwait(false);
                }
            }
        }
        else if (rollouts.FirstOrDefault(r => r.State == RolloutStates.Failed) is { } failed && !wasFailed)
        {
            await releases.UpdateStateAsync(app.Name, app.Release, s => s with { Phase = ReleasePhases.Failed, EndedAt = time.GetUtcNow(), Reason = failed.Message }, ct).ConfigureAwait(false);
            await events.RecordAsync(app.Name, null, null, EventTypes.Warning, EventReasons.RolloutFailed, status.Message ?? $"release {app.Release} failed: {failed.Message}", ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Adds the last log lines to replicas that exited in error or crash-loop, so `gantry ps` says why. The logs are
    /// read once per death (a new exit), not at every pass: the previous status already carries them otherwise.
    /// </summary>
    private async Task<AppStatus> DescribeDeathsAsync(AppStatus status, AppStatus? previous, CancellationToken ct)
    {
        var before = (previous?.Services ?? []).SelectMany(s => s.Replicas).GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.First());
        var services = new List<ServiceStatus>();
        foreach (var service in status.Services)
        {
            var replicas = new List<ReplicaStatus>();
            foreach (var replica in service.Replicas)
            {
                var troubled = replica.ContainerId is not null && replica.Message is not null && !replica.OomKilled
                    && (replica.ExitCode is not null and not 0 || replica.CrashLooping);
                if (troubled && before.GetValueOrDefault(replica.Name) is { } old && old.ContainerId == replica.ContainerId
                    && old.FinishedAt == replica.FinishedAt && old.Restarts == replica.Restarts
                    && old.Message is { } described && described.StartsWith(replica.Message!, StringComparison.Ordinal))
                {
                    // The same death as the last pass saw: keep its description instead of reading the logs again.
                    replicas.Add(replica with { Message = described });
                    continue;
                }
                if (troubled)
                {
                    var lines = await engine.TailLogsAsync(replica.ContainerId!, 5, ct).ConfigureAwait(false);
                    if (lines.Count > 0)
                    {
                        replicas.Add(replica with { Message = $"{replica.Message}; last output: {string.Join(" | ", lines)}" });
                        continue;
                    }
                }
                replicas.Add(replica);
            }
            services.Add(service with { Replicas = replicas });
        }
        return status with { Services = services };
    }

    /// <summary>
    /// On a cluster: replicas that vanished with a node that is down or drained (the node is asked only when running replicas
    /// vanished), and the services they belonged to once they run their desired count again, with where (<see cref="NodeLoss"/>).
    /// </summary>
    private async Task RecordNodeLossAsync(string app, AppStatus? previous, AppStatus next, CancellationToken ct)
    {
        var vanished = NodeLoss.Vanished(previous, next);
        var awaiting = _lostWithNodes.GetOrAdd(app, _ => new HashSet<string>(StringComparer.Ordinal));
        if (vanished.Count > 0 && await engine.GetClusterNodesAsync(null, ct).ConfigureAwait(false) is { } nodes)
        {
            var states = nodes.ToDictionary(n => n.Name, n => n.State == "ready" ? n.Availability : n.State, StringComparer.Ordinal);
            foreach (var lost in NodeLoss.Group(vanished, node => states.GetValueOrDefault(node)))
            {
                lock (awaiting)
                {
                    awaiting.Add(lost.Service);
                }
                await events.RecordAsync(app, lost.Service, null, EventTypes.Warning, EventReasons.ReplicasLostWithNode, lost.Message, ct).ConfigureAwait(false);
            }
        }
        IReadOnlyList<(string Service, string Message)> restored;
        lock (awaiting)
        {
            if (awaiting.Count == 0)
            {
                return;
            }
            restored = NodeLoss.Restored(next, awaiting);
            foreach (var (service, _) in restored)
            {
                awaiting.Remove(service);
            }
        }
        foreach (var (service, message) in restored)
        {
            await events.RecordAsync(app, service, null, EventTypes.Normal, EventReasons.ReplicasRestored, message, ct).ConfigureAwait(false);
        }
    }

    private async Task RecordTransitionsAsync(string app, AppStatus? previous, AppStatus next, CancellationToken ct)
    {
        var before = (previous?.Services ?? []).SelectMany(s => s.Replicas).GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.First());
        foreach (var replica in next.Services.SelectMany(s => s.Replicas))
        {
            var old = before.GetValueOrDefault(replica.Name);
            if (replica.State == "running" && (old is null || old.State != "running" || old.StartedAt != replica.StartedAt))
            {
                await events.RecordAsync(app, replica.Service, replica.Name, EventTypes.Normal, EventReasons.ReplicaStarted,
                    replica.Node is { } node ? $"{replica.Name} is running on {node}" : $"{replica.Name} is running", ct).ConfigureAwait(false);
            }
            if (replica.Health == "healthy" && old?.Health != "healthy")
            {
                await events.RecordAsync(app, replica.Service, replica.Name, EventTypes.Normal, EventReasons.ReplicaHealthy, $"{replica.Name} is healthy", ct).ConfigureAwait(false);
            }
            if (replica.Health == "unhealthy" && old?.Health != "unhealthy")
            {
                await events.RecordAsync(app, replica.Service, replica.Name, EventTypes.Warning, EventReasons.ReplicaUnhealthy, $"{replica.Name} is failing its health check", ct).ConfigureAwait(false);
            }
            var exitedNow = replica.FinishedAt is not null && (old?.FinishedAt != replica.FinishedAt);
            if (exitedNow && replica.OomKilled)
            {
                await events.RecordAsync(app, replica.Service, replica.Name, EventTypes.Warning, EventReasons.ReplicaOomKilled, $"{replica.Name}: {replica.Message}", ct).ConfigureAwait(false);
            }
            else if (exitedNow && replica.ExitCode is { } code)
            {
                await events.RecordAsync(app, replica.Service, replica.Name, code == 0 ? EventTypes.Normal : EventTypes.Warning, EventReasons.ReplicaExited, $"{replica.Name} exited with code {code}", ct).ConfigureAwait(false);
            }
        }
        if (next.Phase != previous?.Phase || next.Message != previous?.Message)
        {
            var (type, reason) = next.Phase switch
            {
                AppPhase.Running => (EventTypes.Normal, EventReasons.AppReady),
                AppPhase.Degraded => (EventTypes.Warning, EventReasons.AppDegraded),
                AppPhase.Failed => (EventTypes.Warning, EventReasons.DeployRefused),
                _ => ("", ""),
            };
            if (reason.Length > 0 && next.Phase != previous?.Phase)
            {
                await events.RecordAsync(app, null, null, type, reason, next.Message ?? $"app {app} is {next.Phase.ToString().ToLowerInvariant()}", ct).ConfigureAwait(false);
            }
        }
    }
}
