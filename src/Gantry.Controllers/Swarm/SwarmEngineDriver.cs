using static Gantry.Controllers.Docker.EngineCalls;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Gantry.Controllers.Docker;
using Gantry.Controllers.Engine;
using Gantry.Controllers.Resources;
using Gantry.Docker;
using Gantry.Docker.Containers;
using Gantry.Docker.Networks;
using Gantry.Docker.Swarm;
using Gantry.Model;

namespace Gantry.Controllers.Swarm;

/// <summary>
/// The driver for a server whose engine is a Swarm manager (docs/decisions/0021): each (app, service, release) is one
/// replicated Swarm service and its tasks are the replicas the shared planner sees. While the engine is not a manager (before
/// `gantry cluster init`) every call goes to <paramref name="local"/>, the container driver, unchanged. Images are
/// built and pulled on the manager's own engine and reach the other nodes through Gantry's registry, by digest
/// (SwarmEngineDriver.Images.cs, docs/decisions/0030). What runs
/// on the other nodes (tasks' logs and usage, volumes, the tasks listings announce) is in SwarmEngineDriver.Nodes.cs; what a lost
/// node sets off (the failover surge, a second wake) in SwarmEngineDriver.Failover.cs (docs/decisions/0031).
/// </summary>
/// <remarks>
/// The seam is still container-granular, so the mapping is: create-for-slot = "the release's service has at least that many
/// tasks"; remove = "one task fewer" (Swarm picks which; at zero the service goes); start and stop are Swarm's. Observed tasks
/// are numbered 1..n per service in Swarm's slot order, so a service whose task Swarm chose to remove still looks complete.
/// </remarks>
/// <param name="connect">The driver of another node's own engine, from the URL `gantry node add` kept in the node's
/// <c>gantry.engine</c> label (null when the URL cannot be used): how a task's CPU and memory are read on its node.</param>
/// <param name="registry">Gantry's registry as the nodes reach it: where images only the manager has go (SwarmEngineDriver.Images.cs).</param>
public sealed partial class SwarmEngineDriver(DockerClient docker, string ownerId, IEngineDriver local, TimeProvider? time = null,
    Func<string, IEngineDriver?>? connect = null, SwarmRegistry? registry = null) : IEngineDriver
{
    private static readonly TimeSpan ModeCacheFor = TimeSpan.FromSeconds(2);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _serviceLocks = new(StringComparer.Ordinal);
    private (bool Manager, DateTimeOffset At)? _mode;
    private string? _selfNode;

    /// <summary>Where each running task listed last runs: its node and its container there.</summary>
    private readonly Dictionary<string, (string Node, string Container)> _placements = new(StringComparer.Ordinal);

    /// <summary>Each node's engine URL (the <c>gantry.engine</c> label), from the last listing.</summary>
    private readonly Dictionary<string, string> _nodeEngines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IEngineDriver?> _remote = new(StringComparer.Ordinal);

    /// <summary>The running tasks listings have shown (id to app), to tell watchers of the ones that start (see <see cref="Announce"/>).</summary>
    private readonly Dictionary<string, string> _running = new(StringComparer.Ordinal);
    private readonly List<System.Threading.Channels.ChannelWriter<EngineEvent>> _watchers = [];
    private readonly Lock _lock = new();
    private bool _listedAll;

    /// <summary>Open follows of task logs, by task id: Docker never ends them (moby#36626), so a listing without the task ends them.</summary>
    private readonly Dictionary<string, List<CancellationTokenSource>> _follows = new(StringComparer.Ordinal);

    /// <summary>True when the engine is a Swarm manager now (read at most every 2 s): the cluster mapping applies.</summary>
    public async Task<bool> IsClusterAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (_mode is { } cached && now - cached.At < ModeCacheFor)
        {
            return cached.Manager;
        }
        var swarm = (await Call(() => docker.System.InfoAsync(ct), "read the engine's info").ConfigureAwait(false)).Swarm;
        var manager = swarm is { LocalNodeState: "active", ControlAvailable: true };
        _selfNode = swarm?.NodeId;
        _mode = (manager, now);
        return manager;
    }

    public async Task<NodeCapacity> GetNodeCapacityAsync(CancellationToken ct)
    {
        var own = await local.GetNodeCapacityAsync(ct).ConfigureAwait(false);
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            return own;
        }
        // The cluster as one machine for the single-engine checks (the pre-deploy check's blue-green headroom); ClusterGuard
        // counts per node.
        var nodes = (await Call(() => docker.Nodes.ListAsync(null, ct), "list nodes").ConfigureAwait(false))
            .Where(n => n.Status.State == "ready" && n.Spec.Availability == "active").ToList();
        return own with
        {
            Name = "cluster",
            MemoryBytes = nodes.Sum(n => n.Description.Resources.MemoryBytes),
            Cpus = (int)(nodes.Sum(n => n.Description.Resources.NanoCPUs) / 1_000_000_000),
        };
    }

    public async Task<IReadOnlyList<ClusterNode>?> GetClusterNodesAsync(string? excludeApp, CancellationToken ct)
    {
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            return null;
        }
        var nodes = await Call(() => docker.Nodes.ListAsync(null, ct), "list nodes").ConfigureAwait(false);
        var tasks = await Call(() => docker.Tasks.ListAsync(new DockerFilters().Add("desired-state", "running"), ct), "list tasks").ConfigureAwait(false);
        // Every Gantry task's reservation counts against its node, except the app being deployed (its old release goes).
        var reserved = tasks
            .Where(t => !string.IsNullOrEmpty(t.NodeId) && t.Spec.ContainerSpec.Labels is { } l && l.ContainsKey(GantryLabels.App)
                && l.GetValueOrDefault(GantryLabels.App) != excludeApp)
            .GroupBy(t => t.NodeId!)
            .ToDictionary(g => g.Key, g => (Memory: g.Sum(t => t.Spec.Resources?.Reservations?.MemoryBytes ?? 0), Cpus: g.Sum(t => t.Spec.Resources?.Reservations?.NanoCPUs ?? 0)), StringComparer.Ordinal);
        return nodes.OrderBy(n => n.Description.Hostname, StringComparer.Ordinal).Select(n =>
        {
            var (memory, cpus) = reserved.GetValueOrDefault(n.Id);
            return new ClusterNode(n.Description.Hostname, n.Spec.Role, n.Status.State, n.Spec.Availability,
                (n.Spec.Labels ?? new Dictionary<string, string>()).Where(l => l.Key != "gantry.engine").ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
                n.Description.Resources.MemoryBytes, n.Description.Resources.NanoCPUs, memory, cpus);
        }).ToList();
    }

    public async Task<IReadOnlyList<ObservedContainer>> ListContainersAsync(string? app, CancellationToken ct)
    {
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            return await local.ListContainersAsync(app, ct).ConfigureAwait(false);
        }
        var services = await Call(() => docker.Services.ListAsync(Owned(app), ct), "list services").ConfigureAwait(false);
        if (services.Count == 0)
        {
            Announce(app, []);
            return [];
        }
        var ids = services.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var tasks = await Call(() => docker.Tasks.ListAsync(new DockerFilters().Add("desired-state", "running"), ct), "list tasks").ConfigureAwait(false);
        var listedNodes = await Call(() => docker.Nodes.ListAsync(null, ct), "list nodes").ConfigureAwait(false);
        if (await SurgeAsync(services, tasks, listedNodes, ct).ConfigureAwait(false))
        {
            // A count changed: list again, so the replicas the planner sees are the ones Swarm now keeps.
            tasks = await Call(() => docker.Tasks.ListAsync(new DockerFilters().Add("desired-state", "running"), ct), "list tasks").ConfigureAwait(false);
        }
        var nodes = listedNodes.ToDictionary(n => n.Id, n => n.Description.Hostname, StringComparer.Ordinal);
        lock (_lock)
        {
            _nodeEngines.Clear();
            foreach (var n in listedNodes)
            {
                if (n.Spec.Labels?.GetValueOrDefault("gantry.engine") is { Length: > 0 } url)
                {
                    _nodeEngines[n.Id] = url;
                }
            }
            // The same tasks the observed replicas count as running (Announce forgets them when they are not).
            foreach (var task in tasks.Where(t => ids.Contains(t.ServiceId) && t.Status.State is "running" or "starting"
                && t.Status.ContainerStatus?.ContainerId is { Length: > 0 }))
            {
                _placements[task.Id] = (task.NodeId ?? "", task.Status.ContainerStatus!.ContainerId!);
            }
        }
        var observed = new List<ObservedContainer>();
        foreach (var group in tasks.Where(t => ids.Contains(t.ServiceId)).GroupBy(t => t.ServiceId))
        {
            // Swarm's slots have holes once it chose which task a scale-in removes; the planner's slots are 1..n.
            var rank = 1;
            foreach (var task in group.OrderBy(t => t.Slot).ThenBy(t => t.Id, StringComparer.Ordinal))
            {
                observed.Add(SwarmServiceMapping.ToObserved(task with { Slot = rank++ }, nodes));
            }
        }
        Announce(app, observed);
        return observed;
    }

    public async Task<string> CreateContainerAsync(ContainerPlan plan, CancellationToken ct)
    {
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            return await local.CreateContainerAsync(plan, ct).ConfigureAwait(false);
        }
        var gate = _serviceLocks.GetOrAdd($"{plan.App}/{plan.Service}/{plan.SpecHash}", _ => new SemaphoreSlim(1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var existing = await FindServiceAsync(plan.App, plan.Service, plan.SpecHash, ct).ConfigureAwait(false);
            if (existing is null)
            {
                var spec = SwarmServiceMapping.ToServiceSpec(plan, ownerId, plan.Slot);
                try
                {
                    var created = await docker.Services.CreateAsync(spec, RegistryAuthFor(plan.Image), ct).ConfigureAwait(false);
                    return created.Id;
                }
                catch (DockerApiException e) when (e.IsConflict)
                {
                    // The release's name is taken by another spec of the same release (a redeploy of an unnumbered app): the hash tells them apart.
                    var named = spec with { Name = $"{spec.Name}_{plan.SpecHash[..Math.Min(8, plan.SpecHash.Length)]}" };
                    var created = await Call(() => docker.Services.CreateAsync(named, RegistryAuthFor(plan.Image), ct), $"create service {named.Name}").ConfigureAwait(false);
                    return created.Id;
                }
                catch (Exception e) when (e is DockerApiException or DockerTransportException)
                {
                    throw Translate(e, $"create service {spec.Name}");
                }
            }
            if ((existing.Spec.Mode.Replicated?.Replicas ?? 0) < plan.Slot)
            {
                await ScaleAsync(existing, plan.Slot, ct).ConfigureAwait(false);
            }
            return existing.Id;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Swarm starts a service's tasks itself.</summary>
    public async Task StartContainerAsync(string id, CancellationToken ct)
    {
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            await local.StartContainerAsync(id, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Swarm stops a task when its service scales in (with the stop grace period of its spec): see <see cref="RemoveContainerAsync"/>.</summary>
    public async Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken ct)
    {
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            await local.StopContainerAsync(id, timeout, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One task fewer in the task's service (Swarm chooses which); the service itself goes at zero.</summary>
    public async Task RemoveContainerAsync(string id, CancellationToken ct)
    {
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            await local.RemoveContainerAsync(id, ct).ConfigureAwait(false);
            return;
        }
        var task = (await Call(() => docker.Tasks.ListAsync(new DockerFilters().Add("id", id), ct), "list tasks").ConfigureAwait(false))
            .FirstOrDefault(t => t.Id == id);
        if (task is null || task.DesiredState != "running")
        {
            return;
        }
        var gate = _serviceLocks.GetOrAdd("service/" + task.ServiceId, _ => new SemaphoreSlim(1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            SwarmService service;
            try
            {
                service = await docker.Services.InspectAsync(task.ServiceId, ct).ConfigureAwait(false);
            }
            catch (DockerApiException e) when (e.IsNotFound)
            {
                return;
            }
            catch (Exception e) when (e is DockerApiException or DockerTransportException)
            {
                throw Translate(e, "inspect a service");
            }
            var running = await RunningTasksAsync(service.Id, ct).ConfigureAwait(false);
            var target = Math.Max(0, Math.Min(service.Spec.Mode.Replicated?.Replicas ?? 0, running) - 1);
            if (target == 0)
            {
                await RemoveServiceAsync(service, ct).ConfigureAwait(false);
                return;
            }
            await ScaleAsync(service, target, ct).ConfigureAwait(false);
            // Done when Swarm has marked a task for shutdown: the next pass must not see the one it removed as still wanted.
            var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(10);
            while (await RunningTasksAsync(service.Id, ct).ConfigureAwait(false) > target && _time.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Every Swarm service of the app that is still there (one scaled to zero has no task to list), removed.</summary>
    public async Task RemoveAppLeftoversAsync(string app, CancellationToken ct)
    {
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            return;
        }
        foreach (var service in await Call(() => docker.Services.ListAsync(Owned(app), ct), "list services").ConfigureAwait(false))
        {
            await RemoveServiceAsync(service, ct).ConfigureAwait(false);
        }
    }

    public Task<IReadOnlyList<ObservedObject>> ListNetworksAsync(string? app, CancellationToken ct) => local.ListNetworksAsync(app, ct);

    /// <summary>On a cluster, an attachable overlay network named like the app network on one engine (routers and tasks of every node join it).</summary>
    public async Task CreateNetworkAsync(string app, NetworkSpec network, CancellationToken ct)
    {
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            await local.CreateNetworkAsync(app, network, ct).ConfigureAwait(false);
            return;
        }
        var labels = new Dictionary<string, string>(network.Labels, StringComparer.Ordinal)
        {
            [GantryLabels.Managed] = "true",
            [GantryLabels.Owner] = ownerId,
            [GantryLabels.App] = app,
            [GantryLabels.Resource] = network.Name,
        };
        var name = Names.Network(app, network);
        try
        {
            await docker.Networks.CreateAsync(new NetworkCreateParameters
            {
                Name = name,
                Driver = network.Driver is null or "bridge" ? "overlay" : network.Driver,
                Attachable = true,
                Internal = network.Internal ? true : null,
                Options = network.DriverOptions.Count > 0 ? network.DriverOptions : null,
                Labels = labels,
                IPAM = network.Ipam is { } ipam ? new NetworkIpam
                {
                    Driver = ipam.Driver,
                    Config = ipam.Config.Select(p => new NetworkIpamPool { Subnet = p.Subnet, IPRange = p.IpRange, Gateway = p.Gateway }).ToList(),
                    Options = ipam.Options.Count > 0 ? ipam.Options : null,
                } : null,
            }, ct).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.IsConflict)
        {
        }
        catch (Exception e) when (e is DockerApiException or DockerTransportException)
        {
            throw Translate(e, $"create network {name}");
        }
    }

    /// <summary>Called before an app network is removed on a cluster: the server's node routers leave it (docs/decisions/0029).</summary>
    public Func<string, CancellationToken, Task>? NetworkRemoving { get; set; }

    public async Task RemoveNetworkAsync(string name, CancellationToken ct)
    {
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            await local.RemoveNetworkAsync(name, ct).ConfigureAwait(false);
            return;
        }
        if (NetworkRemoving is { } removing)
        {
            await removing(name, ct).ConfigureAwait(false);
        }
        // A removed service's tasks release their overlay endpoints a moment later: retry "in use" for a while.
        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await local.RemoveNetworkAsync(name, ct).ConfigureAwait(false);
                return;
            }
            catch (EngineException) when (_time.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), _time, ct).ConfigureAwait(false);
            }
        }
    }

    public Task<string?> GetImageIdAsync(string reference, CancellationToken ct) => local.GetImageIdAsync(reference, ct);

    public Task PullImageAsync(string reference, CancellationToken ct) => local.PullImageAsync(reference, ct);

    public Task<string> BuildImageAsync(string app, BuildSpec build, string tag, IProgress<string>? progress, BuildLimits? limits, CancellationToken ct) =>
        local.BuildImageAsync(app, build, tag, progress, limits, ct);

    /// <summary>A test stage runs where the build ran: on the manager's own engine, beside the image it built.</summary>
    public Task<long> RunToExitAsync(OneOffRun run, IProgress<string> output, CancellationToken ct) => local.RunToExitAsync(run, output, ct);

    public Task<int> RemoveOneOffRunsAsync(string label, CancellationToken ct) => local.RemoveOneOffRunsAsync(label, ct);

    public Task<string> StartOneOffAsync(OneOffRun run, CancellationToken ct) => local.StartOneOffAsync(run, ct);

    public Task<string?> OneOffStateAsync(string name, CancellationToken ct) => local.OneOffStateAsync(name, ct);

    public Task RemoveOneOffRunAsync(string name) => local.RemoveOneOffRunAsync(name);

    public Task CreateOneOffNetworkAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken ct) => local.CreateOneOffNetworkAsync(name, labels, ct);

    public Task RemoveOneOffNetworkAsync(string name) => local.RemoveOneOffNetworkAsync(name);

    public Task RemoveBuiltImagesAsync(string app, CancellationToken ct) => local.RemoveBuiltImagesAsync(app, ct);

    public Task<long?> GetImageSizeAsync(string idOrReference, CancellationToken ct) => local.GetImageSizeAsync(idOrReference, ct);

    public Task<ImageRemoval> RemoveImageAsync(string id, CancellationToken ct) => local.RemoveImageAsync(id, ct);

    /// <summary>
    /// The local engine's container events, and on a Swarm every node change (down, drained, active again) as a
    /// <c>node</c> event for each app with services: Swarm moves their tasks, and the apps' status must follow without
    /// waiting for the resync. Swarm has no event per task, so a pass that is not converged polls until it is.
    /// </summary>
    public async IAsyncEnumerable<EngineEvent> WatchEventsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var merged = System.Threading.Channels.Channel.CreateUnbounded<EngineEvent>();
        lock (_lock)
        {
            _watchers.Add(merged.Writer);
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pumps = Task.WhenAll(PumpLocalAsync(merged.Writer, stop.Token), PumpNodesAsync(merged.Writer, stop.Token));
        _ = pumps.ContinueWith(done => merged.Writer.TryComplete(done.Exception?.InnerException), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await foreach (var e in merged.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove(merged.Writer);
            }
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task PumpLocalAsync(System.Threading.Channels.ChannelWriter<EngineEvent> writer, CancellationToken ct)
    {
        try
        {
            await foreach (var e in local.WatchEventsAsync(ct).ConfigureAwait(false))
            {
                await writer.WriteAsync(e, ct).ConfigureAwait(false);
            }
            writer.TryComplete();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The controller reconnects the whole watch; either stream failing ends it.
            writer.TryComplete(e);
        }
    }

    private async Task PumpNodesAsync(System.Threading.Channels.ChannelWriter<EngineEvent> writer, CancellationToken ct)
    {
        try
        {
            // Opened once whatever the engine's mode: the daemon emits node events from the moment it manages a Swarm.
            var filters = new DockerFilters().Add("type", "node");
            await foreach (var e in docker.Events.StreamAsync(new Gantry.Docker.Events.EventsOptions { Filters = filters }, ct).ConfigureAwait(false))
            {
                _mode = null;
                var services = await Call(() => docker.Services.ListAsync(Owned(null), ct), "list services").ConfigureAwait(false);
                var apps = services.Select(s => s.Spec.Labels?.GetValueOrDefault(GantryLabels.App)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                foreach (var app in apps)
                {
                    await writer.WriteAsync(new EngineEvent("node", e.Actor.Id, app, null, e.Timestamp), ct).ConfigureAwait(false);
                }
                // Swarm's orchestrator acts on the same change a moment after its event (it shuts a lost node's tasks down and
                // creates their replacements); a listing that raced it saw nothing yet, and no later event would tell.
                _ = TellAgainAsync(writer, apps, e.Actor.Id, ct);
            }
            writer.TryComplete();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            writer.TryComplete(e is DockerApiException or DockerTransportException ? Translate(e, "watch node events") : e);
        }
    }

    private async Task<SwarmService?> FindServiceAsync(string app, string service, string specHash, CancellationToken ct)
    {
        var filters = Owned(app).Label(GantryLabels.Service, service).Label(GantryLabels.SpecHash, specHash);
        return (await Call(() => docker.Services.ListAsync(filters, ct), "list services").ConfigureAwait(false)).FirstOrDefault();
    }

    private async Task<int> RunningTasksAsync(string serviceId, CancellationToken ct) =>
        (await Call(() => docker.Tasks.ListAsync(new DockerFilters().Add("service", serviceId).Add("desired-state", "running"), ct), "list tasks").ConfigureAwait(false)).Count;

    private async Task ScaleAsync(SwarmService service, long replicas, CancellationToken ct)
    {
        var current = service;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // An explicit count replaces a failover's surge (FailoverSurge): lowering it later would undo this scale.
                await docker.Services.UpdateAsync(current.Id, current.Version.Index, current.Spec with
                {
                    Mode = new ServiceMode { Replicated = new ReplicatedMode { Replicas = replicas } },
                    Labels = FailoverSurge.With(current.Spec.Labels, 0),
                }, null, ct).ConfigureAwait(false);
                return;
            }
            catch (DockerApiException e) when (attempt < 3 && (e.IsConflict || e.DaemonMessage.Contains("out of sequence", StringComparison.Ordinal)))
            {
                // Someone (Swarm itself) updated it since it was read: read it again at its new version.
                current = await Call(() => docker.Services.InspectAsync(service.Id, ct), "inspect a service").ConfigureAwait(false);
            }
            catch (Exception e) when (e is DockerApiException or DockerTransportException)
            {
                throw Translate(e, $"scale service {service.Spec.Name} to {replicas}");
            }
        }
    }

    private async Task RemoveServiceAsync(SwarmService service, CancellationToken ct)
    {
        try
        {
            await docker.Services.RemoveAsync(service.Id, ct).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.IsNotFound)
        {
        }
        catch (Exception e) when (e is DockerApiException or DockerTransportException)
        {
            throw Translate(e, $"remove service {service.Spec.Name}");
        }
    }

    private DockerFilters Owned(string? app) => EngineCalls.Owned(ownerId, app);
}
