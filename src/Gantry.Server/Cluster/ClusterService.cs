using System.Globalization;
using Gantry.Docker;
using Gantry.Docker.Swarm;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Api.Cluster;
using Gantry.Server.Apps;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Cluster;

/// <summary>
/// The cluster as Gantry manages it on Docker Swarm (issue 11): the server's engine made a manager (or an existing Swarm
/// adopted), other engines joined through their own API, nodes listed with Gantry's share of them, drained and removed.
/// Swarm keeps the membership and places tasks; this type only asks it, so nothing here is state of Gantry's own.
/// Join tokens are read from the manager at the moment of a join and never logged or returned.
/// </summary>
public sealed partial class ClusterService(DockerClient engine, ServerOptions options, NodeRouters.NodeRouterReconciler routers, NodeDrain drain,
    TimeProvider time, ILogger<ClusterService> logger)
{
    /// <summary>The node label that remembers the engine URL a node was joined through, so `node rm` can make it leave.</summary>
    public const string EngineLabel = "gantry.engine";

    /// <summary>Swarm's port for cluster traffic between managers and nodes.</summary>
    public const int SwarmPort = 2377;

    /// <summary>Default dispatcher heartbeat: Swarm's is 5 s; 1 s lets it declare a dead node down sooner (issue 11's anchor: 34 s → 25 s).</summary>
    public static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(1);

    /// <summary>The Swarm the server's engine is in, as one line of facts.</summary>
    public async Task<ClusterView> GetAsync(CancellationToken ct)
    {
        var info = await engine.System.InfoAsync(ct).ConfigureAwait(false);
        var swarm = info.Swarm;
        if (swarm is null || swarm.LocalNodeState != "active")
        {
            return new ClusterView(swarm?.LocalNodeState is { Length: > 0 } s ? s : "inactive", null, null, null, 0, 0);
        }
        if (!swarm.ControlAvailable)
        {
            return new ClusterView("worker", null, ManagerAddress(swarm.NodeAddr), null, 0, 0);
        }
        var cluster = await engine.Swarm.InspectAsync(ct).ConfigureAwait(false);
        var nodes = await engine.Nodes.ListAsync(null, ct).ConfigureAwait(false);
        return new ClusterView("manager", cluster.Id, ManagerAddress(swarm.NodeAddr), cluster.DispatcherHeartbeat?.TotalSeconds,
            nodes.Count, nodes.Count(n => n.Spec.Role == "manager"));
    }

    /// <summary>Makes the server's engine a manager (or adopts its Swarm) and sets the dispatcher heartbeat.</summary>
    public async Task<ChangeOutcome<ClusterView>> InitAsync(ClusterInitRequest request, CancellationToken ct)
    {
        var heartbeat = request.HeartbeatSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultHeartbeat;
        if (heartbeat < TimeSpan.FromMilliseconds(100) || heartbeat > TimeSpan.FromMinutes(1))
        {
            return ChangeOutcome<ClusterView>.Invalid([Field("heartbeatSeconds", $"{request.HeartbeatSeconds} is outside 0.1-60 seconds; 1 is a good value")]);
        }
        var info = await engine.System.InfoAsync(ct).ConfigureAwait(false);
        var state = info.Swarm?.LocalNodeState ?? "inactive";
        string action;
        if (state == "inactive")
        {
            try
            {
                var init = new SwarmInitParameters
                {
                    AdvertiseAddr = NullIfEmpty(request.AdvertiseAddress),
                    Spec = SwarmSpecs.WithDispatcherHeartbeat([], heartbeat),
                };
                await engine.Swarm.InitAsync(init, ct).ConfigureAwait(false);
            }
            catch (DockerApiException e) when ((int)e.StatusCode is 400 or 500 or 503)
            {
                // Typically "could not choose an IP address to advertise since this system has multiple addresses".
                return ChangeOutcome<ClusterView>.Refused(
                    $"the engine would not start a Swarm: {e.DaemonMessage}; pass --advertise-addr with the address other machines reach it at");
            }
            action = "created";
            Log.ClusterCreated(logger, heartbeat.TotalSeconds);
        }
        else if (state != "active")
        {
            return ChangeOutcome<ClusterView>.Conflict($"the server's engine is in Swarm state '{state}'; wait for it to settle (or unlock it) and run init again");
        }
        else if (info.Swarm is { ControlAvailable: false })
        {
            return ChangeOutcome<ClusterView>.Conflict(
                "the server's engine is a Swarm worker: point the server at a manager's engine (gantry server --engine URL) and run init there");
        }
        else
        {
            var cluster = await engine.Swarm.InspectAsync(ct).ConfigureAwait(false);
            if (cluster.DispatcherHeartbeat == heartbeat)
            {
                action = "already";
            }
            else
            {
                await engine.Swarm.UpdateAsync(cluster.Version.Index, SwarmSpecs.WithDispatcherHeartbeat(cluster.Spec, heartbeat), ct).ConfigureAwait(false);
                action = "adopted";
            }
            Log.ClusterAdopted(logger, cluster.Id, heartbeat.TotalSeconds);
        }
        return ChangeOutcome<ClusterView>.Accepted(await GetAsync(ct).ConfigureAwait(false) with { Action = action });
    }

    /// <summary>Every node with what Swarm says of it and Gantry's reservations and running replicas on it.</summary>
    public async Task<ChangeOutcome<IReadOnlyList<NodeView>>> ListNodesAsync(CancellationToken ct)
    {
        if (await NotManagerAsync(ct).ConfigureAwait(false) is { } reason)
        {
            return ChangeOutcome<IReadOnlyList<NodeView>>.Conflict(reason);
        }
        var nodes = await engine.Nodes.ListAsync(null, ct).ConfigureAwait(false);
        var tasks = await engine.Tasks.ListAsync(new DockerFilters().Add("desired-state", "running"), ct).ConfigureAwait(false);
        var ours = tasks.Where(t => t.Spec.ContainerSpec.Labels?.ContainsKey(GantryLabels.App) == true && !string.IsNullOrEmpty(t.NodeId))
            .GroupBy(t => t.NodeId!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var views = nodes.Select(n => View(n, ours.GetValueOrDefault(n.Id) ?? []) with { Router = routers.Describe(n.Id, n.Description.Hostname) })
            .OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        return ChangeOutcome<IReadOnlyList<NodeView>>.Accepted(views);
    }

    /// <summary>
    /// Joins the engine at request.Engine through its own API (the worker or manager token, the manager's address), then labels
    /// the node. An engine already in this cluster only gets its labels; one in another Swarm is refused.
    /// </summary>
    public async Task<ChangeOutcome<NodeView>> AddNodeAsync(NodeAddRequest request, CancellationToken ct)
    {
        var (clientOptions, error) = EngineAddress.Parse(request.Engine, options.EngineCertDirectory);
        if (clientOptions is null)
        {
            return ChangeOutcome<NodeView>.Invalid([Field("engine", error!)]);
        }
        var role = request.Role ?? "worker";
        if (role is not ("worker" or "manager"))
        {
            return ChangeOutcome<NodeView>.Invalid([Field("role", $"'{role}' is not a role: worker or manager")]);
        }
        foreach (var (key, _) in request.Labels ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(key) || key.Any(char.IsWhiteSpace) || key.Contains('=', StringComparison.Ordinal) || key == EngineLabel)
            {
                return ChangeOutcome<NodeView>.Invalid([Field("labels", $"'{key}' is not a label key Gantry may set: letters, digits, '.', '-' and '_', not {EngineLabel}")]);
            }
        }
        if (await NotManagerAsync(ct).ConfigureAwait(false) is { } notManager)
        {
            return ChangeOutcome<NodeView>.Conflict(notManager);
        }

        var self = await engine.System.InfoAsync(ct).ConfigureAwait(false);
        var cluster = await engine.Swarm.InspectAsync(ct).ConfigureAwait(false);
        using var node = new DockerClient(clientOptions);
        Docker.System.SystemInfo nodeInfo;
        try
        {
            nodeInfo = await node.System.InfoAsync(ct).ConfigureAwait(false);
        }
        catch (DockerTransportException e)
        {
            return ChangeOutcome<NodeView>.Refused($"the engine at {request.Engine} did not answer ({e.Message}); check the URL and that its API is reachable from the server");
        }
        var nodeState = nodeInfo.Swarm?.LocalNodeState ?? "inactive";
        if (nodeState == "active" && nodeInfo.Swarm?.NodeId is { } existingId
            && (await engine.Nodes.ListAsync(new DockerFilters().Add("id", existingId), ct).ConfigureAwait(false)).Count == 0)
        {
            return ChangeOutcome<NodeView>.Refused(
                $"the engine at {request.Engine} is in another Swarm; make it leave that one first (docker swarm leave on it) and add it again");
        }
        if (nodeState is not ("active" or "inactive"))
        {
            return ChangeOutcome<NodeView>.Conflict($"the engine at {request.Engine} is in Swarm state '{nodeState}'; wait for it to settle and add it again");
        }
        if (nodeState == "inactive")
        {
            var manager = ManagerAddress(self.Swarm?.NodeAddr)
                ?? throw new InvalidOperationException("a manager without an address");
            try
            {
                await node.Swarm.JoinAsync(new SwarmJoinParameters
                {
                    RemoteAddrs = [manager],
                    JoinToken = role == "manager" ? cluster.JoinTokens.Manager : cluster.JoinTokens.Worker,
                }, ct).ConfigureAwait(false);
            }
            catch (DockerApiException e)
            {
                return ChangeOutcome<NodeView>.Refused(
                    $"the engine at {request.Engine} could not join the Swarm at {manager}: {e.DaemonMessage}; it must reach {manager} (TCP {SwarmPort}) and UDP 7946/4789");
            }
            nodeInfo = await node.System.InfoAsync(ct).ConfigureAwait(false);
        }
        var nodeId = nodeInfo.Swarm?.NodeId ?? throw new InvalidOperationException("a joined engine without a node id");
        // The manager updates a node it just admitted (its status, its description): a version read before that is stale,
        // so the update is read and tried again when the engine says it is out of sequence.
        for (var attempt = 1; ; attempt++)
        {
            var joined = await engine.Nodes.InspectAsync(nodeId, ct).ConfigureAwait(false);
            var labels = new Dictionary<string, string>(joined.Spec.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var (key, value) in request.Labels ?? new Dictionary<string, string>())
            {
                labels[key] = value;
            }
            labels[EngineLabel] = request.Engine.Trim();
            // An engine already in the cluster keeps its role unless one was asked for.
            var spec = joined.Spec with { Labels = labels, Role = request.Role ?? joined.Spec.Role };
            try
            {
                await engine.Nodes.UpdateAsync(nodeId, joined.Version.Index, spec, ct).ConfigureAwait(false);
                Log.NodeAdded(logger, joined.Description.Hostname, nodeId, spec.Role);
                break;
            }
            catch (DockerApiException e) when (attempt < 5 && e.DaemonMessage.Contains("out of sequence", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), time, ct).ConfigureAwait(false);
            }
        }
        return ChangeOutcome<NodeView>.Accepted(await NodeViewAsync(nodeId, ct).ConfigureAwait(false));
    }

    /// <summary>Sets the node's availability to drain: Swarm moves its tasks to the other nodes and places no new ones there.</summary>
    public async Task<ChangeOutcome<NodeView>> DrainAsync(string name, CancellationToken ct)
    {
        if (await NotManagerAsync(ct).ConfigureAwait(false) is { } reason)
        {
            return ChangeOutcome<NodeView>.Conflict(reason);
        }
        var node = await FindAsync(name, ct).ConfigureAwait(false);
        if (node is null)
        {
            return ChangeOutcome<NodeView>.Missing($"no node is called '{name}'; `gantry nodes` lists them");
        }
        if (node.Spec.Availability != "drain")
        {
            // Routes first: Swarm stops a drained node's tasks at once, so the routers must have let go of them before.
            await drain.UnrouteAsync(node.Description.Hostname, ct).ConfigureAwait(false);
            try
            {
                var current = await engine.Nodes.InspectAsync(node.Id, ct).ConfigureAwait(false);
                await engine.Nodes.UpdateAsync(current.Id, current.Version.Index, current.Spec with { Availability = "drain" }, ct).ConfigureAwait(false);
            }
            catch
            {
                drain.Abandon(node.Description.Hostname);
                throw;
            }
            Log.NodeDrained(logger, node.Description.Hostname);
        }
        return ChangeOutcome<NodeView>.Accepted(await NodeViewAsync(node.Id, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Removes a node: a live one is drained and then leaves through its own engine (the URL it was added with); a dead one is
    /// removed at once. The server's own engine and the last manager are refused.
    /// </summary>
    public async Task<ChangeOutcome<NodeView>> RemoveAsync(string name, CancellationToken ct)
    {
        if (await NotManagerAsync(ct).ConfigureAwait(false) is { } reason)
        {
            return ChangeOutcome<NodeView>.Conflict(reason);
        }
        var node = await FindAsync(name, ct).ConfigureAwait(false);
        if (node is null)
        {
            return ChangeOutcome<NodeView>.Missing($"no node is called '{name}'; `gantry nodes` lists them");
        }
        var self = await engine.System.InfoAsync(ct).ConfigureAwait(false);
        if (node.Id == self.Swarm?.NodeId)
        {
            return ChangeOutcome<NodeView>.Refused($"'{name}' is the server's own engine; a cluster cannot remove its own manager this way");
        }
        var view = await NodeViewAsync(node.Id, ct).ConfigureAwait(false);
        if (node.Status.State == "ready")
        {
            if (!(node.Spec.Labels?.TryGetValue(EngineLabel, out var url) == true) || EngineAddress.Parse(url, options.EngineCertDirectory).Options is not { } nodeOptions)
            {
                return ChangeOutcome<NodeView>.Refused(
                    $"'{name}' is up and was not added by Gantry, so Gantry cannot make it leave: run `docker swarm leave` on it, then `gantry node rm {name}` again");
            }
            if (node.Spec.Role == "manager")
            {
                await engine.Nodes.UpdateAsync(node.Id, node.Version.Index, node.Spec with { Role = "worker", Availability = "drain" }, ct).ConfigureAwait(false);
            }
            else if (node.Spec.Availability != "drain")
            {
                await engine.Nodes.UpdateAsync(node.Id, node.Version.Index, node.Spec with { Availability = "drain" }, ct).ConfigureAwait(false);
            }
            using var client = new DockerClient(nodeOptions);
            try
            {
                // Gantry's router there goes first: a machine that left keeps nothing of this installation.
                await routers.RemoveFromAsync(client, ct).ConfigureAwait(false);
                await client.Swarm.LeaveAsync(force: false, ct).ConfigureAwait(false);
            }
            catch (DockerApiException e) when (e.DaemonMessage.Contains("not part of a swarm", StringComparison.OrdinalIgnoreCase))
            {
                // Left already (a retry after a failure between leave and remove).
            }
            catch (DockerTransportException e)
            {
                return ChangeOutcome<NodeView>.Refused($"'{name}' is up but its engine at {url} did not answer ({e.Message}); fix the link, or stop the machine and remove it again");
            }
        }
        // A node that left (or died) is removed at once: force skips the wait for the manager to mark it down.
        await engine.Nodes.RemoveAsync(node.Id, force: true, ct).ConfigureAwait(false);
        Log.NodeRemoved(logger, node.Description.Hostname, node.Status.State);
        return ChangeOutcome<NodeView>.Accepted(view with { State = "removed" });
    }

    private async Task<SwarmNode?> FindAsync(string name, CancellationToken ct)
    {
        var nodes = await engine.Nodes.ListAsync(null, ct).ConfigureAwait(false);
        return nodes.FirstOrDefault(n => n.Id == name || n.Description.Hostname == name || n.Spec.Name == name)
            ?? nodes.FirstOrDefault(n => name.Length >= 6 && n.Id.StartsWith(name, StringComparison.Ordinal));
    }

    private async Task<NodeView> NodeViewAsync(string id, CancellationToken ct)
    {
        var node = await engine.Nodes.InspectAsync(id, ct).ConfigureAwait(false);
        var tasks = await engine.Tasks.ListAsync(new DockerFilters().Add("node", id).Add("desired-state", "running"), ct).ConfigureAwait(false);
        return View(node, tasks.Where(t => t.Spec.ContainerSpec.Labels?.ContainsKey(GantryLabels.App) == true).ToList())
            with { Router = routers.Describe(node.Id, node.Description.Hostname) };
    }

    private async Task<string?> NotManagerAsync(CancellationToken ct)
    {
        var swarm = (await engine.System.InfoAsync(ct).ConfigureAwait(false)).Swarm;
        return swarm switch
        {
            { LocalNodeState: "active", ControlAvailable: true } => null,
            { LocalNodeState: "active" } => "the server's engine is a Swarm worker: point the server at a manager's engine (gantry server --engine URL)",
            _ => "the server's engine is not in a Swarm: run `gantry cluster init` first",
        };
    }

    /// <summary>A node with Gantry's running tasks on it: their reservations summed, and how many run.</summary>
    public static NodeView View(SwarmNode node, IReadOnlyList<SwarmTask> gantryTasks)
    {
        var labels = node.Spec.Labels ?? new Dictionary<string, string>();
        var shown = labels.Where(l => l.Key != EngineLabel).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        return new NodeView(
            node.Id,
            node.Description.Hostname,
            node.Spec.Role,
            node.Status.State,
            node.Spec.Availability,
            node.Status.Addr,
            node.ManagerStatus?.Leader ?? false,
            shown,
            node.Description.Resources.NanoCPUs / 1e9,
            node.Description.Resources.MemoryBytes,
            gantryTasks.Sum(t => t.Spec.Resources?.Reservations?.NanoCPUs ?? 0) / 1e9,
            gantryTasks.Sum(t => t.Spec.Resources?.Reservations?.MemoryBytes ?? 0),
            gantryTasks.Count(t => t.Status.State == "running"))
        {
            Engine = labels.GetValueOrDefault(EngineLabel),
        };
    }

    private static string? ManagerAddress(string? nodeAddr) =>
        string.IsNullOrEmpty(nodeAddr) ? null : string.Create(CultureInfo.InvariantCulture, $"{nodeAddr}:{SwarmPort}");

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Diagnostic Field(string field, string message) => new("error", "request", 0, 0, field, message);

    private static partial class Log
    {
        [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "cluster: created a Swarm on the server's engine (dispatcher heartbeat {Heartbeat} s)")]
        public static partial void ClusterCreated(ILogger logger, double heartbeat);

        [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "cluster: adopted Swarm {ClusterId} (dispatcher heartbeat {Heartbeat} s)")]
        public static partial void ClusterAdopted(ILogger logger, string clusterId, double heartbeat);

        [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "cluster: node {Name} ({Id}) joined as {Role}")]
        public static partial void NodeAdded(ILogger logger, string name, string id, string role);

        [LoggerMessage(EventId = 9104, Level = LogLevel.Information, Message = "cluster: node {Name} drained")]
        public static partial void NodeDrained(ILogger logger, string name);

        [LoggerMessage(EventId = 9105, Level = LogLevel.Information, Message = "cluster: node {Name} removed (it was {State})")]
        public static partial void NodeRemoved(ILogger logger, string name, string state);
    }
}
