using static Gantry.Controllers.Docker.EngineCalls;
using System.Runtime.CompilerServices;
using Gantry.Controllers.Engine;
using Gantry.Docker;
using Gantry.Docker.Containers;
using Gantry.Model;

namespace Gantry.Controllers.Swarm;

/// <summary>The driver's side that reaches the other nodes: volumes on every node, tasks' logs through the manager, tasks'
/// CPU and memory from their node's own engine, and the start of tasks announced from listings.</summary>
public sealed partial class SwarmEngineDriver
{
    /// <summary>
    /// The manager's volumes and, on a cluster, every ready node's: Swarm's engines create a task's named volume on its node
    /// when it is first mounted (with Gantry's labels, <see cref="SwarmServiceMapping"/>), so one name may exist on several
    /// nodes. Listed once per name.
    /// </summary>
    public async Task<IReadOnlyList<ObservedObject>> ListVolumesAsync(string? app, CancellationToken ct)
    {
        var volumes = await local.ListVolumesAsync(app, ct).ConfigureAwait(false);
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            return volumes;
        }
        var all = new Dictionary<string, ObservedObject>(StringComparer.Ordinal);
        foreach (var volume in volumes)
        {
            all.TryAdd(volume.Name, volume);
        }
        foreach (var node in await OtherNodesAsync(ct).ConfigureAwait(false))
        {
            foreach (var volume in await node.ListVolumesAsync(app, ct).ConfigureAwait(false))
            {
                all.TryAdd(volume.Name, volume);
            }
        }
        return [.. all.Values];
    }

    public Task CreateVolumeAsync(string app, VolumeSpec volume, CancellationToken ct) => local.CreateVolumeAsync(app, volume, ct);

    /// <summary>Removes the volume from the manager and, on a cluster, from every ready node (a failure is the engine's error,
    /// so the teardown tries again). A node that is down keeps its copy.</summary>
    public async Task RemoveVolumeAsync(string name, CancellationToken ct)
    {
        await local.RemoveVolumeAsync(name, ct).ConfigureAwait(false);
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            return;
        }
        foreach (var node in await OtherNodesAsync(ct).ConfigureAwait(false))
        {
            await node.RemoveVolumeAsync(name, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The engines of the other ready nodes that Gantry knows the URL of (`node add` keeps it in <c>gantry.engine</c>).</summary>
    private async Task<IReadOnlyList<IEngineDriver>> OtherNodesAsync(CancellationToken ct)
    {
        if (connect is null)
        {
            return [];
        }
        var nodes = await Call(() => docker.Nodes.ListAsync(null, ct), "list nodes").ConfigureAwait(false);
        return [.. nodes
            .Where(n => n.Id != _selfNode && n.Status.State == "ready" && n.Spec.Labels?.GetValueOrDefault("gantry.engine") is { Length: > 0 })
            .Select(n => _remote.GetOrAdd(n.Spec.Labels!["gantry.engine"], connect))
            .OfType<IEngineDriver>()];
    }

    /// <summary>On a cluster a replica is a task on some node: its logs come through the task logs API, which the manager
    /// fetches from the task's node; an id that is no task (a container from before `cluster init`) is read locally.</summary>
    public async Task<IReadOnlyList<string>> TailLogsAsync(string id, int lines, CancellationToken ct)
    {
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            return await local.TailLogsAsync(id, lines, ct).ConfigureAwait(false);
        }
        var result = new List<string>();
        try
        {
            await foreach (var line in StreamLogsAsync(id, follow: false, lines, ct).ConfigureAwait(false))
            {
                result.Add(line.Text);
            }
        }
        catch (EngineException)
        {
            // Logs only decorate a status message; their absence is not a failure.
        }
        return result;
    }

    public IAsyncEnumerable<EngineLogLine> StreamLogsAsync(string id, bool follow, int? tail, CancellationToken ct) =>
        ReadLogsAsync(id, new ContainerLogsOptions { Follow = follow, Tail = tail, Timestamps = true }, ct);

    /// <summary>The engine filters by time itself (`since`, inclusive), for a task as for a container.</summary>
    public IAsyncEnumerable<EngineLogLine> StreamLogsSinceAsync(string id, DateTimeOffset? since, bool follow, CancellationToken ct) =>
        ReadLogsAsync(id, new ContainerLogsOptions { Follow = follow, Since = since, Timestamps = true }, ct);

    private async IAsyncEnumerable<EngineLogLine> ReadLogsAsync(string id, ContainerLogsOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var lines = await IsClusterAsync(ct).ConfigureAwait(false) && await IsTaskAsync(id, ct).ConfigureAwait(false)
            ? options.Follow ? FollowTaskAsync(id, options, ct) : Lines(docker.Tasks.LogsAsync(id, options, ct), $"read logs of task {id}", ct)
            : options.Since is { } since ? local.StreamLogsSinceAsync(id, since, options.Follow, ct) : local.StreamLogsAsync(id, options.Follow, options.Tail, ct);
        await foreach (var line in lines.ConfigureAwait(false))
        {
            yield return line;
        }
    }

    /// <summary>A task's logs, followed until the caller stops or a listing no longer shows the task running (then it ends as a
    /// container's follow ends when the container stops).</summary>
    private async IAsyncEnumerable<EngineLogLine> FollowTaskAsync(string id, ContainerLogsOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(ct);
        lock (_lock)
        {
            if (!_follows.TryGetValue(id, out var open))
            {
                _follows[id] = open = [];
            }
            open.Add(ended);
        }
        try
        {
            await using var lines = Lines(docker.Tasks.LogsAsync(id, options, ended.Token), $"read logs of task {id}", ended.Token).GetAsyncEnumerator(ended.Token);
            while (true)
            {
                var more = false;
                try
                {
                    more = await lines.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception) when (ended.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                }
                if (!more)
                {
                    yield break;
                }
                yield return lines.Current;
            }
        }
        finally
        {
            lock (_lock)
            {
                if (_follows.TryGetValue(id, out var open) && open.Remove(ended) && open.Count == 0)
                {
                    _follows.Remove(id);
                }
            }
        }
    }

    private async Task<bool> IsTaskAsync(string id, CancellationToken ct) =>
        (await Call(() => docker.Tasks.ListAsync(new DockerFilters().Add("id", id), ct), "find a task").ConfigureAwait(false)).Any(t => t.Id == id);

    public async Task<ContainerUsage?> GetUsageAsync(string id, CancellationToken ct) =>
        await EngineOfAsync(id, ct).ConfigureAwait(false) is ({ } engine, var container) ? await engine.GetUsageAsync(container, ct).ConfigureAwait(false) : null;

    public async Task<ContainerUsage?> ReadCountersAsync(string id, CancellationToken ct) =>
        await EngineOfAsync(id, ct).ConfigureAwait(false) is ({ } engine, var container) ? await engine.ReadCountersAsync(container, ct).ConfigureAwait(false) : null;

    /// <summary>
    /// The engine that runs <paramref name="id"/> and its container id there: the local engine off a cluster; on a cluster,
    /// the task's node as the last listing placed it (the manager's own engine, or the engine `node add` was given). No
    /// engine when the task was not listed running or its node's engine is unknown (a node joined outside Gantry).
    /// </summary>
    private async Task<(IEngineDriver? Engine, string Container)> EngineOfAsync(string id, CancellationToken ct)
    {
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            return (local, id);
        }
        string? url;
        (string Node, string Container) placement;
        lock (_lock)
        {
            if (!_placements.TryGetValue(id, out placement))
            {
                return (null, id);
            }
            if (placement.Node == _selfNode)
            {
                return (local, placement.Container);
            }
            url = _nodeEngines.GetValueOrDefault(placement.Node);
        }
        return url is null || connect is null ? (null, id) : (_remote.GetOrAdd(url, connect), placement.Container);
    }

    /// <summary>
    /// Swarm has no event when a task starts, and a task on another node has no container event here: a listing that shows
    /// a task running for the first time tells every watcher with a <c>start</c> event, so the log collector opens its
    /// logs. The reconciler lists until a change has converged, so a new task is seen soon after it runs; at rest nothing
    /// lists and nothing is told. Until the first listing of every app (at start) nothing is told: the watchers' own first
    /// listings see what already runs.
    /// </summary>
    private void Announce(string? app, IReadOnlyList<ObservedContainer> observed)
    {
        var started = new List<EngineEvent>();
        var ended = new List<CancellationTokenSource>();
        System.Threading.Channels.ChannelWriter<EngineEvent>[] watchers;
        lock (_lock)
        {
            var running = observed.Where(c => c.IsRunning && c.App is not null).ToDictionary(c => c.Id, c => c, StringComparer.Ordinal);
            var tell = _listedAll;
            _listedAll |= app is null;
            foreach (var (id, container) in running)
            {
                if (_running.TryAdd(id, container.App!) && tell)
                {
                    started.Add(new EngineEvent("start", id, container.App, container.Service, container.StartedAt ?? _time.GetUtcNow()));
                }
            }
            foreach (var gone in _running.Where(r => (app is null || r.Value == app) && !running.ContainsKey(r.Key)).Select(r => r.Key).ToList())
            {
                _running.Remove(gone);
                _placements.Remove(gone);
            }
            ended.AddRange(_follows.Where(f => !_running.ContainsKey(f.Key) && (app is null || !running.ContainsKey(f.Key))).SelectMany(f => f.Value));
            watchers = started.Count == 0 ? [] : [.. _watchers];
        }
        foreach (var follow in ended)
        {
            try
            {
                follow.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // That follow ended by itself meanwhile.
            }
        }
        foreach (var e in started)
        {
            foreach (var watcher in watchers)
            {
                watcher.TryWrite(e);
            }
        }
    }
}
