using static Gantry.Controllers.Docker.EngineCalls;
using System.Globalization;
using System.Runtime.CompilerServices;
using Gantry.Controllers.Engine;
using Gantry.Docker;
using Gantry.Docker.Containers;
using Gantry.Docker.Events;
using Gantry.Docker.Images;
using Gantry.Docker.Networks;
using Gantry.Docker.Volumes;
using Gantry.Model;

namespace Gantry.Controllers.Docker;

/// <summary>
/// The controllers' driver for one Docker Engine, on Gantry's own Engine API client. It labels
/// everything it creates with this installation's owner id and sees only objects carrying it, and it
/// turns the client's errors into the controllers' transient/permanent <see cref="EngineException"/>s.
/// <paramref name="credentials"/> supplies registry credentials for an image reference (Gantry's own
/// registry), so the engine can pull what was pushed there.
/// </summary>
public sealed class DockerEngineDriver(DockerClient docker, string ownerId, Func<string, RegistryAuth?>? credentials = null, TimeProvider? time = null) : IEngineDriver
{
    private readonly InspectCache _inspected = new(time ?? TimeProvider.System);

    public async Task<NodeCapacity> GetNodeCapacityAsync(CancellationToken ct)
    {
        var info = await Call(() => docker.System.InfoAsync(ct), "read the engine's info").ConfigureAwait(false);
        return new NodeCapacity(info.Name, info.MemTotal, info.NCpu) { Platform = NodeCapacity.PlatformOf(info.OSType, info.Architecture) };
    }

    public async Task<IReadOnlyList<ObservedContainer>> ListContainersAsync(string? app, CancellationToken ct)
    {
        var summaries = await Call(() => docker.Containers.ListAsync(new ContainerListOptions { All = true, Filters = Owned(app) }, ct), "list containers").ConfigureAwait(false);
        // Only containers that changed since their last inspection are inspected again (the cache follows the event
        // stream), side by side: every reconcile pass (a rollback's too) waits for the slowest one, not for their sum.
        var inspected = new ObservedContainer?[summaries.Count];
        var stale = new List<int>();
        for (var i = 0; i < summaries.Count; i++)
        {
            inspected[i] = _inspected.TryGet(summaries[i].Id, summaries[i].State, summaries[i].Status);
            if (inspected[i] is null)
            {
                stale.Add(i);
            }
        }
        await Parallel.ForEachAsync(stale, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var stamp = _inspected.StampOf(summaries[i].Id);
            var inspect = await Call(() => docker.Containers.TryInspectAsync(summaries[i].Id, token), "inspect a container").ConfigureAwait(false);
            inspected[i] = inspect is null ? null : DockerContainerMapping.ToObserved(inspect);
            if (inspected[i] is { } observed)
            {
                _inspected.Store(summaries[i].Id, observed, stamp);
            }
        }).ConfigureAwait(false);
        return inspected.OfType<ObservedContainer>().ToList();
    }

    public async Task<string> CreateContainerAsync(ContainerPlan plan, CancellationToken ct)
    {
        var parameters = DockerContainerMapping.ToCreateParameters(plan, ownerId, await SharedStackAsync(plan, ct).ConfigureAwait(false));
        foreach (var mount in plan.Mounts.Where(m => m.Type == MountType.Bind && m.CreateHostPath && m.Source is not null))
        {
            // The Engine API, unlike `docker run -v`, refuses a missing bind source; compose creates it.
            if (!File.Exists(mount.Source) && !Directory.Exists(mount.Source))
            {
                Directory.CreateDirectory(mount.Source!);
            }
        }
        string id;
        try
        {
            id = (await docker.Containers.CreateAsync(parameters, ct).ConfigureAwait(false)).Id;
        }
        catch (DockerApiException e) when (e.IsConflict)
        {
            throw new EngineConflictException($"container {plan.Name} already exists", e);
        }
        catch (Exception e) when (e is DockerApiException or DockerTransportException)
        {
            throw Translate(e, $"create container {plan.Name}");
        }
        foreach (var (network, aliases) in plan.Source?.NetworkMode is null ? plan.Networks.Skip(1) : [])
        {
            await Call(() => docker.Networks.ConnectAsync(network, id, aliases, plan.Ipv4Addresses?.GetValueOrDefault(network), ct), $"connect {plan.Name} to {network}").ConfigureAwait(false);
        }
        return id;
    }

    /// <summary>
    /// For `network_mode: service:NAME`, the id of NAME's running container in the same app (compose joins the first one).
    /// None yet is transient: the dependency the loader implied starts NAME first, and the controller retries.
    /// </summary>
    private async Task<string?> SharedStackAsync(ContainerPlan plan, CancellationToken ct)
    {
        if (plan.Source?.NetworkMode is not { } mode || !mode.StartsWith("service:", StringComparison.Ordinal))
        {
            return null;
        }
        var service = mode["service:".Length..];
        var filters = Owned(plan.App).Label(GantryLabels.Service, service);
        var running = await Call(() => docker.Containers.ListAsync(new ContainerListOptions { All = false, Filters = filters }, ct), "list containers").ConfigureAwait(false);
        var target = running.OrderBy(c => c.Labels?.GetValueOrDefault(GantryLabels.Slot), StringComparer.Ordinal).FirstOrDefault()
            ?? throw new EngineException($"network_mode {mode}: service {service} has no running container whose network stack {plan.Name} can join yet", isTransient: true);
        return target.Id;
    }

    public Task StartContainerAsync(string id, CancellationToken ct) =>
        Call(async () =>
        {
            try
            {
                _inspected.Invalidate(id, destroyed: false);
                await docker.Containers.StartAsync(id, ct).ConfigureAwait(false);
                _inspected.Invalidate(id, destroyed: false);
            }
            catch (DockerApiException e) when ((int)e.StatusCode == 304)
            {
                // Already started: the goal holds.
            }
        }, $"start container {Short(id)}");

    public Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken ct) =>
        Call(async () =>
        {
            try
            {
                _inspected.Invalidate(id, destroyed: false);
                await docker.Containers.StopAsync(id, timeout, ct).ConfigureAwait(false);
                _inspected.Invalidate(id, destroyed: false);
            }
            catch (DockerApiException e) when (e.IsNotFound || (int)e.StatusCode == 304)
            {
            }
        }, $"stop container {Short(id)}");

    public Task RemoveContainerAsync(string id, CancellationToken ct) =>
        Call(async () =>
        {
            try
            {
                // removeVolumes drops the container's anonymous volumes with it; named ones are kept.
                await docker.Containers.RemoveAsync(id, force: true, removeVolumes: true, ct).ConfigureAwait(false);
                _inspected.Invalidate(id, destroyed: true);
            }
            catch (DockerApiException e) when (e.IsNotFound || (e.IsConflict && e.DaemonMessage.Contains("already in progress", StringComparison.Ordinal)))
            {
            }
        }, $"remove container {Short(id)}");

    public async Task<IReadOnlyList<ObservedObject>> ListNetworksAsync(string? app, CancellationToken ct)
    {
        var networks = await Call(() => docker.Networks.ListAsync(Owned(app), ct), "list networks").ConfigureAwait(false);
        return networks.Select(n => new ObservedObject(n.Name, n.Labels ?? new Dictionary<string, string>())).ToList();
    }

    public Task CreateNetworkAsync(string app, NetworkSpec network, CancellationToken ct) =>
        Call(async () =>
        {
            try
            {
                await docker.Networks.CreateAsync(new NetworkCreateParameters
                {
                    Name = Names.Network(app, network),
                    Driver = network.Driver,
                    Internal = network.Internal ? true : null,
                    Options = network.DriverOptions.Count > 0 ? network.DriverOptions : null,
                    Labels = Labels(app, network.Name, network.Labels),
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
        }, $"create network {Names.Network(app, network)}");

    public Task RemoveNetworkAsync(string name, CancellationToken ct) =>
        Call(async () =>
        {
            try
            {
                await docker.Networks.RemoveAsync(name, ct).ConfigureAwait(false);
            }
            catch (DockerApiException e) when (e.IsNotFound)
            {
            }
        }, $"remove network {name}");

    public async Task<IReadOnlyList<ObservedObject>> ListVolumesAsync(string? app, CancellationToken ct)
    {
        var volumes = await Call(() => docker.Volumes.ListAsync(Owned(app), ct), "list volumes").ConfigureAwait(false);
        return volumes.Select(v => new ObservedObject(v.Name, v.Labels ?? new Dictionary<string, string>())).ToList();
    }

    public Task CreateVolumeAsync(string app, VolumeSpec volume, CancellationToken ct) =>
        Call(() => docker.Volumes.CreateAsync(new VolumeCreateParameters
        {
            Name = Names.Volume(app, volume),
            Driver = volume.Driver,
            DriverOpts = volume.DriverOptions.Count > 0 ? volume.DriverOptions : null,
            Labels = Labels(app, volume.Name, volume.Labels),
        }, ct), $"create volume {Names.Volume(app, volume)}");

    public Task RemoveVolumeAsync(string name, CancellationToken ct) =>
        Call(async () =>
        {
            try
            {
                await docker.Volumes.RemoveAsync(name, force: true, ct).ConfigureAwait(false);
            }
            catch (DockerApiException e) when (e.IsNotFound)
            {
            }
        }, $"remove volume {name}");

    public async Task<string?> GetImageIdAsync(string reference, CancellationToken ct) =>
        (await Call(() => docker.Images.TryInspectAsync(reference, ct), $"inspect image {reference}").ConfigureAwait(false))?.Id;

    public Task PullImageAsync(string reference, CancellationToken ct) =>
        Call(() => docker.Images.PullAsync(reference, null, credentials?.Invoke(reference), null, ct), $"pull image {reference}");

    public async Task RemoveBuiltImagesAsync(string app, CancellationToken ct)
    {
        var images = await Call(() => docker.Images.ListAsync(new ImageListOptions { Filters = Owned(app) }, ct), "list images").ConfigureAwait(false);
        foreach (var image in images)
        {
            try
            {
                await docker.Images.RemoveAsync(image.Id, force: true, noPrune: false, ct).ConfigureAwait(false);
            }
            catch (DockerApiException e) when (e.IsNotFound || e.IsConflict)
            {
                // Gone already, or still used by a container another app runs: leave it.
            }
            catch (DockerTransportException e)
            {
                throw Translate(e, $"remove image {Short(image.Id)}");
            }
        }
    }

    public async Task<long?> GetImageSizeAsync(string idOrReference, CancellationToken ct) =>
        (await Call(() => docker.Images.TryInspectAsync(idOrReference, ct), $"inspect image {Short(idOrReference)}").ConfigureAwait(false))?.Size;

    public async Task<ImageRemoval> RemoveImageAsync(string id, CancellationToken ct)
    {
        try
        {
            // Not forced: the engine's own refusal (a container uses it, several repositories name it) is the last guard.
            await docker.Images.RemoveAsync(id, force: false, noPrune: false, ct).ConfigureAwait(false);
            return ImageRemoval.Removed;
        }
        catch (DockerApiException e) when (e.IsNotFound)
        {
            return ImageRemoval.Missing;
        }
        catch (DockerApiException e) when (e.IsConflict)
        {
            return ImageRemoval.InUse;
        }
        catch (Exception e) when (e is DockerApiException or DockerTransportException)
        {
            throw Translate(e, $"remove image {Short(id)}");
        }
    }

    public Task<string> BuildImageAsync(string app, BuildSpec build, string tag, IProgress<string>? progress, BuildLimits? limits, CancellationToken ct)
    {
        var options = new ImageBuildOptions
        {
            Tags = [tag],
            Dockerfile = build.Dockerfile,
            Target = build.Target,
            BuildArgs = build.Args.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!),
            Labels = new Dictionary<string, string> { [GantryLabels.Managed] = "true", [GantryLabels.Owner] = ownerId, [GantryLabels.App] = app },
            CpuQuota = limits?.CpuQuotaMicroseconds,
            CpuPeriod = limits?.CpuQuotaMicroseconds is null ? null : BuildLimits.CpuPeriodMicroseconds,
            Memory = limits?.MemoryBytes,
            // Memory and swap together equal to memory: no swap, so the limit is the limit.
            MemorySwap = limits?.MemoryBytes,
        };
        // Reported inline, in the engine's order (Progress<T> would post each line to the pool and could reorder them).
        var lines = progress is null ? null : new InlineProgress<ImageProgressMessage>(m =>
        {
            if (m.Stream is { Length: > 0 } text && text.TrimEnd() is { Length: > 0 } line)
            {
                progress.Report(line);
            }
        });
        return Call(() => docker.Images.BuildFromDirectoryAsync(build.Context, options, lines, ct), $"build image {tag}");
    }

    public async Task<long> RunToExitAsync(OneOffRun run, IProgress<string> output, CancellationToken ct)
    {
        // A container of this name left by a crash is the same run's: it goes first.
        await RemoveOneOffAsync(run.Name).ConfigureAwait(false);
        try
        {
            var id = await CreateAndStartOneOffAsync(run, ct).ConfigureAwait(false);
            // The log stream ends when the container stops; the wait then gives its exit code.
            await foreach (var line in Lines(docker.Containers.LogsAsync(id, new ContainerLogsOptions { Follow = true, Tty = false }, ct), $"read logs of {run.Name}", ct).ConfigureAwait(false))
            {
                output.Report(line.Text.TrimEnd('\n', '\r'));
            }
            var exit = await Call(() => docker.Containers.WaitAsync(id, WaitCondition.NotRunning, ct), $"wait for {run.Name}").ConfigureAwait(false);
            return exit.StatusCode;
        }
        finally
        {
            await RemoveOneOffAsync(run.Name).ConfigureAwait(false);
        }
    }

    public async Task<string> StartOneOffAsync(OneOffRun run, CancellationToken ct)
    {
        await RemoveOneOffAsync(run.Name).ConfigureAwait(false);
        return await CreateAndStartOneOffAsync(run, ct).ConfigureAwait(false);
    }

    public async Task<string?> OneOffStateAsync(string name, CancellationToken ct)
    {
        var inspect = await Call(() => docker.Containers.TryInspectAsync(name, ct), $"inspect {name}").ConfigureAwait(false);
        return inspect is null ? null
            : inspect.State?.Running != true ? "exited"
            : inspect.State.Health?.Status is { Length: > 0 } health ? health
            : "running";
    }

    public Task RemoveOneOffRunAsync(string name) => RemoveOneOffAsync(name);

    public Task CreateOneOffNetworkAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken ct) =>
        Call(() => docker.Networks.CreateAsync(new NetworkCreateParameters
        {
            Name = name,
            Labels = new Dictionary<string, string>(labels) { [OneOffOwnerLabel] = ownerId },
        }, ct), $"create network {name}");

    public async Task RemoveOneOffNetworkAsync(string name)
    {
        try
        {
            await docker.Networks.RemoveAsync(name, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.IsNotFound)
        {
        }
    }

    private async Task<string> CreateAndStartOneOffAsync(OneOffRun run, CancellationToken ct)
    {
        var parameters = new ContainerCreateParameters
        {
            Name = run.Name,
            Image = run.Image,
            Cmd = run.Command,
            Entrypoint = run.Entrypoint,
            Env = run.Environment,
            User = run.User,
            WorkingDir = run.WorkingDir,
            Healthcheck = DockerContainerMapping.ToHealth(run.HealthCheck),
            // Which server ran it (not the ownership label: a one-off is no app's replica), so a restart removes what a crash
            // left (RemoveOneOffRunsAsync) and never another server's run on the same engine.
            Labels = new Dictionary<string, string>(run.Labels) { [OneOffOwnerLabel] = ownerId },
            HostConfig = new HostConfig
            {
                Memory = run.Limits?.MemoryBytes,
                MemorySwap = run.Limits?.MemoryBytes,
                NanoCpus = run.Limits?.Cpus is { } cpus ? (long)Math.Round(cpus * 1e9) : null,
                // A test that forks without end must not take the node's process table with it.
                PidsLimit = 1024,
                NetworkMode = run.Network,
            },
            NetworkingConfig = run.Network is null ? null : NetworkingConfig.ForAddress(run.Network, null, run.Aliases),
        };
        var id = (await Call(() => docker.Containers.CreateAsync(parameters, ct), $"create container {run.Name}").ConfigureAwait(false)).Id;
        await Call(() => docker.Containers.StartAsync(id, ct), $"start container {run.Name}").ConfigureAwait(false);
        return id;
    }

    private const string OneOffOwnerLabel = "gantry.one-off-of";

    public async Task<int> RemoveOneOffRunsAsync(string label, CancellationToken ct)
    {
        var filters = new DockerFilters().Label(OneOffOwnerLabel, ownerId).Label(label);
        var left = await Call(() => docker.Containers.ListAsync(new ContainerListOptions { All = true, Filters = filters }, ct), "list one-off containers").ConfigureAwait(false);
        foreach (var container in left)
        {
            await RemoveOneOffAsync(container.Id).ConfigureAwait(false);
        }
        // The networks test runs made for their services go after their containers.
        foreach (var network in await Call(() => docker.Networks.ListAsync(filters, ct), "list one-off networks").ConfigureAwait(false))
        {
            await RemoveOneOffNetworkAsync(network.Id).ConfigureAwait(false);
        }
        return left.Count;
    }

    private async Task RemoveOneOffAsync(string name)
    {
        try
        {
            await docker.Containers.RemoveAsync(name, force: true, removeVolumes: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.IsNotFound)
        {
            // Gone.
        }
        catch (DockerApiException e) when (e.IsConflict)
        {
            // Already being removed (the engine's own auto-removal, or a cancelled run's): wait until it is gone, so the
            // caller may remove the image next (a failed build's tags) without the container still holding it.
            var clock = time ?? TimeProvider.System;
            for (var deadline = clock.GetUtcNow().AddSeconds(10); clock.GetUtcNow() < deadline; await Task.Delay(TimeSpan.FromMilliseconds(100), clock).ConfigureAwait(false))
            {
                if (await docker.Containers.TryInspectAsync(name, CancellationToken.None).ConfigureAwait(false) is null)
                {
                    return;
                }
            }
        }
    }

    public async Task<IReadOnlyList<string>> TailLogsAsync(string id, int lines, CancellationToken ct)
    {
        var result = new List<string>();
        try
        {
            await foreach (var entry in docker.Containers.LogsAsync(id, new ContainerLogsOptions { Tail = lines }, ct).ConfigureAwait(false))
            {
                result.Add(entry.Text.TrimEnd('\r', '\n'));
            }
        }
        catch (Exception e) when (e is DockerApiException or DockerTransportException)
        {
            // Logs only decorate a status message; their absence is not a failure.
        }
        return result;
    }

    public IAsyncEnumerable<EngineLogLine> StreamLogsAsync(string id, bool follow, int? tail, CancellationToken ct) =>
        ReadLogsAsync(id, new ContainerLogsOptions { Follow = follow, Tail = tail, Timestamps = true }, ct);

    /// <summary>The engine filters by time itself (`since`, inclusive, to the nanosecond it was given).</summary>
    public IAsyncEnumerable<EngineLogLine> StreamLogsSinceAsync(string id, DateTimeOffset? since, bool follow, CancellationToken ct) =>
        ReadLogsAsync(id, new ContainerLogsOptions { Follow = follow, Since = since, Timestamps = true }, ct);

    private IAsyncEnumerable<EngineLogLine> ReadLogsAsync(string id, ContainerLogsOptions options, CancellationToken ct) =>
        Lines(docker.Containers.LogsAsync(id, options, ct), $"read logs of {Short(id)}", ct);

    public async Task<ContainerUsage?> GetUsageAsync(string id, CancellationToken ct) =>
        ToUsage(await Call(() => docker.Containers.StatsAsync(id, ct), $"read stats of {Short(id)}").ConfigureAwait(false));

    public async Task<ContainerUsage?> ReadCountersAsync(string id, CancellationToken ct) =>
        ToUsage(await Call(() => docker.Containers.SnapshotStatsAsync(id, ct), $"read stats of {Short(id)}").ConfigureAwait(false));

    /// <summary>The engine answers a stopped container's stats with empty counters read at the zero time: that is "not running".</summary>
    private static ContainerUsage? ToUsage(ContainerStats stats)
    {
        if (stats.Read.Year <= 1)
        {
            return null;
        }
        var usage = StatsCalculator.Compute(stats);
        return new ContainerUsage(usage.CpuPercent, (long)usage.MemoryUsageBytes, (long)usage.MemoryLimitBytes)
        {
            ReadAt = stats.Read,
            CpuNanoseconds = stats.CpuStats.CpuUsage.TotalUsage,
            NetworkRxBytes = (long)usage.NetworkRxBytes,
            NetworkTxBytes = (long)usage.NetworkTxBytes,
        };
    }

    /// <summary>
    /// The container actions the watch asks the daemon for: those that change what an inspect shows. Not exec_*: every
    /// engine health check is an exec_create, exec_start and exec_die, three events per replica per interval (9 a second
    /// for 30 replicas checked every 10 s) that no reader uses, each waking the server. `health_status` matches
    /// "health_status: healthy" and the like (the daemon matches it as a prefix).
    /// </summary>
    private static readonly string[] WatchedActions =
        ["create", "start", "restart", "die", "kill", "stop", "oom", "destroy", "pause", "unpause", "rename", "update", "health_status"];

    public async IAsyncEnumerable<EngineEvent> WatchEventsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var filters = new DockerFilters().Add("type", "container").Label(GantryLabels.Owner, ownerId);
        foreach (var action in WatchedActions)
        {
            filters.Add("event", action);
        }
        await using var events = docker.Events.StreamAsync(new EventsOptions { Filters = filters }, ct).GetAsyncEnumerator(ct);
        _inspected.WatchStarted();
        try
        {
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception e) when (e is DockerApiException or DockerTransportException)
                {
                    throw Translate(e, "watch engine events");
                }
                var current = events.Current;
                var action = current.Action.Split(':')[0];
                if (!action.StartsWith("exec_", StringComparison.Ordinal))
                {
                    _inspected.Invalidate(current.Actor.Id, destroyed: action == "destroy");
                }
                current.Actor.Attributes.TryGetValue(GantryLabels.App, out var app);
                current.Actor.Attributes.TryGetValue(GantryLabels.Service, out var service);
                yield return new EngineEvent(action, current.Actor.Id, app, service, current.Timestamp);
            }
        }
        finally
        {
            _inspected.WatchEnded();
        }
    }

    private Dictionary<string, string> Labels(string app, string resource, IReadOnlyDictionary<string, string> user)
    {
        var labels = new Dictionary<string, string>(user, StringComparer.Ordinal)
        {
            [GantryLabels.Managed] = "true",
            [GantryLabels.Owner] = ownerId,
            [GantryLabels.App] = app,
            [GantryLabels.Resource] = resource,
        };
        return labels;
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;

    private DockerFilters Owned(string? app) => EngineCalls.Owned(ownerId, app);

}
