using System.Collections.Concurrent;
using Gantry.Docker;
using Gantry.Docker.Containers;
using Gantry.Docker.Events;
using Gantry.Model;
using Gantry.Server.Cluster;
using Gantry.Server.Hosting;
using Gantry.Server.Releases;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.NodeRouters;

/// <summary>
/// Keeps one router on every ready node of the Swarm (docs/decisions/0029): a standalone container made through the node's
/// own engine (the manager's node through the server's), attached to every app's attachable overlay network, following the
/// server at its advertised URL. Level-based: each pass lists what is wanted and what runs and does only the difference
/// (<see cref="NodeRouterPlan"/>). Passes run when something changes, never on a timer: a node event (<see cref="NodeWatch"/>),
/// a network or service created on the manager (an app deploying), a router container that died or went on a node's engine,
/// or a retry after a failure (backing off, only while failing). At rest: idle event streams, nothing else.
/// </summary>
public sealed partial class NodeRouterReconciler : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LastRetry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan StreamRetry = TimeSpan.FromSeconds(5);

    private readonly DockerClient _engine;
    private readonly ServerOptions _options;
    private readonly DataDirectory _data;
    private readonly RouterImage _image;
    private readonly RouterFleet _fleet;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeRouterReconciler> _logger;
    private readonly SemaphoreSlim _poke = new(0, 1);
    private readonly ConcurrentDictionary<string, string> _states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DockerClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DockerClient Client, CancellationTokenSource Stop)> _watches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _removing = new(StringComparer.Ordinal);

    /// <summary>Router containers a node's engine said died: its list may still say running when the event arrives.</summary>
    private readonly ConcurrentDictionary<string, byte> _died = new(StringComparer.Ordinal);
    private TimeSpan _retry = FirstRetry;
    private CancellationToken _stopping;

    public NodeRouterReconciler(DockerClient engine, ServerOptions options, DataDirectory data, RouterImage image, RouterFleet fleet,
        NodeWatch nodes, Controllers.Engine.IEngineDriver driver, TimeProvider time, ILogger<NodeRouterReconciler> logger)
    {
        _engine = engine;
        _options = options;
        _data = data;
        _image = image;
        _fleet = fleet;
        _time = time;
        _logger = logger;
        if (Enabled)
        {
            nodes.Changed += Poke;
            if (driver is Controllers.Swarm.SwarmEngineDriver swarm)
            {
                swarm.NetworkRemoving = ReleaseNetworkAsync;
            }
        }
    }

    private bool Enabled => _options.NodeRouters.AdvertiseUrl is not null;

    private string Owner => _data.InstallationId;

    /// <summary>The router of a node as `gantry nodes` shows it: its state here, and the table it reported if it reports.</summary>
    public string Describe(string nodeId, string nodeName)
    {
        if (!Enabled)
        {
            return "off (no --advertise-url)";
        }
        var state = _states.GetValueOrDefault(nodeId) ?? "pending";
        if (state != "running")
        {
            return state;
        }
        var id = "node-router-" + nodeName;
        return _fleet.Routers().FirstOrDefault(r => r.Router == id) is { Router: not null } seen
            ? $"running (table {seen.TableVersion})"
            : "running (not reporting yet)";
    }

    /// <summary>Asks for a pass (coalesced: many pokes during a pass make one more pass).</summary>
    public void Poke()
    {
        try
        {
            _poke.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        _stopping = stoppingToken;
        _ = FollowAsync(_engine, new DockerFilters().Add("type", "network").Add("type", "service").Add("event", "create"), stoppingToken);
        Poke();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _poke.WaitAsync(stoppingToken).ConfigureAwait(false);
                if (await PassAsync(stoppingToken).ConfigureAwait(false))
                {
                    _retry = FirstRetry;
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever failed (an engine, a node, the image), the pass is retried: the loop must outlive it.
                Log.PassFailed(_logger, e.Message);
            }
            // Errors mean "retry with backoff": one timer, only while failing.
            var delay = _retry;
            _retry = TimeSpan.FromTicks(Math.Min(_retry.Ticks * 2, LastRetry.Ticks));
            _ = Task.Delay(delay, _time, stoppingToken).ContinueWith(_ => Poke(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }

    /// <summary>One pass over every node; false when some node failed (the pass is retried).</summary>
    private async Task<bool> PassAsync(CancellationToken ct)
    {
        Log.Pass(_logger);
        var swarm = (await _engine.System.InfoAsync(ct).ConfigureAwait(false)).Swarm;
        if (swarm is not { LocalNodeState: "active", ControlAvailable: true })
        {
            if (swarm is null or { LocalNodeState: "inactive" })
            {
                // No Swarm any more: no node routers are wanted, on the server's engine nor on the nodes it still knows.
                List<DockerClient> known;
                lock (_watches)
                {
                    known = [.. _watches.Values.Select(w => w.Client).Append(_engine).Distinct()];
                }
                foreach (var client in known)
                {
                    try
                    {
                        await RemoveFromAsync(client, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is DockerApiException or DockerTransportException)
                    {
                        Log.NodeFailed(_logger, "a former node", e.Message);
                    }
                }
            }
            _states.Clear();
            StopWatches(keep: new HashSet<string>());
            return true;
        }
        var nodes = await _engine.Nodes.ListAsync(null, ct).ConfigureAwait(false);
        var owned = await _engine.Networks.ListAsync(new DockerFilters().Label(GantryLabels.Owner, Owner), ct).ConfigureAwait(false);
        foreach (var removed in _removing.Keys.Where(id => owned.All(n => n.Id != id)).ToList())
        {
            _removing.TryRemove(removed, out _);
        }
        var networks = owned
            .Where(n => n.Driver == "overlay" && n.Attachable && !_removing.ContainsKey(n.Id))
            .Select(n => n.Name).Order(StringComparer.Ordinal).ToList();
        var tag = await _image.EnsureAsync(_engine, ct).ConfigureAwait(false);
        var ok = true;
        HashSet<string> watched = new(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var name = string.IsNullOrEmpty(node.Description.Hostname) ? node.Id : node.Description.Hostname;
            if (node.Status.State != "ready")
            {
                _states[node.Id] = $"none (node {node.Status.State})";
                continue;
            }
            var client = node.Id == swarm.NodeId ? _engine : NodeClient(node.Spec.Labels?.GetValueOrDefault(ClusterService.EngineLabel));
            if (client is null)
            {
                _states[node.Id] = "none (no engine URL: add the node with `gantry node add`)";
                continue;
            }
            watched.Add(node.Id);
            Watch(node.Id, client);
            try
            {
                await ReconcileNodeAsync(name, client, client == _engine, tag, networks, ct).ConfigureAwait(false);
                _states[node.Id] = "running";
            }
            catch (Exception e) when (e is DockerApiException or DockerTransportException or IOException)
            {
                _states[node.Id] = "failed: " + e.Message;
                Log.NodeFailed(_logger, name, e.Message);
                ok = false;
            }
        }
        foreach (var gone in _states.Keys.Where(id => nodes.All(n => n.Id != id)).ToList())
        {
            _states.TryRemove(gone, out _);
        }
        StopWatches(watched);
        return ok;
    }

    private async Task ReconcileNodeAsync(string node, DockerClient client, bool self, string tag, IReadOnlyList<string> networks, CancellationToken ct)
    {
        var spec = new NodeRouterSpec(node, tag, _options.NodeRouters.AdvertiseUrl!, _options.NodeRouters.Port, Owner);
        var observed = await ObserveAsync(client, ct).ConfigureAwait(false);
        var actions = NodeRouterPlan.Diff(spec.Hash, observed, networks);
        if (actions.None)
        {
            return;
        }
        foreach (var id in actions.Remove)
        {
            await RemoveContainerAsync(client, id, ct).ConfigureAwait(false);
        }
        var router = actions.Keep;
        if (router is null)
        {
            if (!self)
            {
                await _image.ShipAsync(_engine, client, tag, ct).ConfigureAwait(false);
            }
            router = (await client.Containers.CreateAsync(spec.ToCreateParameters(_data.RouterToken), ct).ConfigureAwait(false)).Id;
            await client.Containers.StartAsync(router, ct).ConfigureAwait(false);
        }
        foreach (var network in actions.Connect)
        {
            try
            {
                await client.Networks.ConnectAsync(network, router, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (DockerApiException e) when (e.DaemonMessage.Contains("already exists", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
        Log.NodeReconciled(_logger, node, actions.Create ? "created" : "kept", actions.Remove.Count, actions.Connect.Count);
    }

    private async Task<IReadOnlyList<ObservedRouter>> ObserveAsync(DockerClient client, CancellationToken ct)
    {
        var filters = new DockerFilters();
        foreach (var (key, value) in NodeRouterSpec.Selector(Owner))
        {
            filters.Label(key, value);
        }
        var observed = new List<ObservedRouter>();
        foreach (var summary in await client.Containers.ListAsync(new ContainerListOptions { All = true, Filters = filters }, ct).ConfigureAwait(false))
        {
            var networks = summary.State == "running" && await client.Containers.TryInspectAsync(summary.Id, ct).ConfigureAwait(false) is { } inspect
                ? inspect.NetworkSettings.Networks?.Keys.ToHashSet(StringComparer.Ordinal) ?? []
                : [];
            var state = _died.ContainsKey(summary.Id) ? "exited" : summary.State;
            observed.Add(new ObservedRouter(summary.Id, state, summary.Labels?.GetValueOrDefault(GantryLabels.SpecHash), networks, summary.Created));
        }
        return observed;
    }

    private async Task RemoveContainerAsync(DockerClient client, string id, CancellationToken ct)
    {
        try
        {
            await client.Containers.RemoveAsync(id, force: true, cancellationToken: ct).ConfigureAwait(false);
            _died.TryRemove(id, out _);
        }
        catch (DockerApiException e) when (e.IsNotFound || e.DaemonMessage.Contains("already in progress", StringComparison.OrdinalIgnoreCase))
        {
        }
    }

    /// <summary>Removes this installation's router from a node's engine: called before the node leaves the Swarm (`gantry node rm`).</summary>
    public async Task RemoveFromAsync(DockerClient client, CancellationToken ct)
    {
        foreach (var router in await ObserveAsync(client, ct).ConfigureAwait(false))
        {
            await RemoveContainerAsync(client, router.Id, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Before an app network goes: every node's router leaves it (a Swarm network with an attached container cannot be
    /// removed), and passes stop connecting to that network (by id: a new network of the same name is a new id).
    /// </summary>
    public async Task ReleaseNetworkAsync(string name, CancellationToken ct)
    {
        var network = await _engine.Networks.ListAsync(new DockerFilters().Add("name", name), ct).ConfigureAwait(false);
        foreach (var n in network.Where(n => n.Name == name))
        {
            _removing[n.Id] = 0;
        }
        List<DockerClient> clients;
        lock (_watches)
        {
            clients = [.. _watches.Values.Select(w => w.Client)];
        }
        foreach (var client in clients)
        {
            try
            {
                foreach (var router in (await ObserveAsync(client, ct).ConfigureAwait(false)).Where(r => r.Networks.Contains(name)))
                {
                    await client.Networks.DisconnectAsync(name, router.Id, force: true, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is DockerApiException or DockerTransportException)
            {
                Log.ReleaseFailed(_logger, name, e.Message);
            }
        }
    }

    private DockerClient? NodeClient(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }
        if (_clients.TryGetValue(url, out var client))
        {
            return client;
        }
        return EngineAddress.Parse(url, _options.EngineCertDirectory).Options is { } options
            ? _clients.GetOrAdd(url, _ => new DockerClient(options, _time))
            : null;
    }

    /// <summary>Follows a node's engine for our router containers dying or going: each is a pass.</summary>
    private void Watch(string nodeId, DockerClient client)
    {
        lock (_watches)
        {
            if (_watches.TryGetValue(nodeId, out var existing))
            {
                if (existing.Client == client)
                {
                    return;
                }
                existing.Stop.Cancel();
            }
            var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
            _watches[nodeId] = (client, stop);
            var filters = new DockerFilters().Add("type", "container").Add("event", "die").Add("event", "destroy");
            foreach (var (key, value) in NodeRouterSpec.Selector(Owner))
            {
                filters.Label(key, value);
            }
            _ = FollowAsync(client, filters, stop.Token);
        }
    }

    private void StopWatches(IReadOnlySet<string> keep)
    {
        lock (_watches)
        {
            foreach (var id in _watches.Keys.Where(id => !keep.Contains(id)).ToList())
            {
                _watches[id].Stop.Cancel();
                _watches[id].Stop.Dispose();
                _watches.Remove(id);
            }
        }
    }

    /// <summary>Pokes a pass at each event of the stream, and again whenever the stream is opened (something may have happened meanwhile).</summary>
    private async Task FollowAsync(DockerClient client, DockerFilters filters, CancellationToken ct)
    {
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!first)
                {
                    Poke();
                }
                first = false;
                await foreach (var e in client.Events.StreamAsync(new EventsOptions { Filters = filters }, ct).ConfigureAwait(false))
                {
                    Log.Event(_logger, e.Type, e.Action, e.Actor.Id);
                    if (e.Type == "container" && e.Action == "die")
                    {
                        _died[e.Actor.Id] = 0;
                    }
                    else if (e.Type == "container" && e.Action == "destroy")
                    {
                        _died.TryRemove(e.Actor.Id, out _);
                    }
                    Poke();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever broke the stream (this task is nobody's to await): say so, and follow again.
                Log.FollowFailed(_logger, e.Message);
                try
                {
                    await Task.Delay(StreamRetry, _time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public override void Dispose()
    {
        StopWatches(keep: new HashSet<string>());
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        _poke.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9137, Level = LogLevel.Debug, Message = "node routers: {Type} {Action} {Id}: a pass")]
        public static partial void Event(ILogger logger, string type, string action, string id);

        [LoggerMessage(EventId = 9138, Level = LogLevel.Debug, Message = "node routers: pass")]
        public static partial void Pass(ILogger logger);

        [LoggerMessage(EventId = 9136, Level = LogLevel.Warning, Message = "node routers: following an engine's events failed ({Reason}); following again in 5 s")]
        public static partial void FollowFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 9132, Level = LogLevel.Information, Message = "node routers: {Node}: router {Action}, {Removed} container(s) removed, connected to {Connected} network(s)")]
        public static partial void NodeReconciled(ILogger logger, string node, string action, int removed, int connected);

        [LoggerMessage(EventId = 9133, Level = LogLevel.Warning, Message = "node routers: {Node}: {Reason}; trying again with backoff")]
        public static partial void NodeFailed(ILogger logger, string node, string reason);

        [LoggerMessage(EventId = 9134, Level = LogLevel.Warning, Message = "node routers: a pass failed ({Reason}); trying again with backoff")]
        public static partial void PassFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 9135, Level = LogLevel.Warning, Message = "node routers: leaving network {Network} failed on a node ({Reason})")]
        public static partial void ReleaseFailed(ILogger logger, string network, string reason);
    }
}
