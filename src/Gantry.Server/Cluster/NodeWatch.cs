using Gantry.Docker;
using Gantry.Docker.Events;
using Gantry.Server.Alerts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Cluster;

/// <summary>
/// Follows the cluster's nodes for the node-down alert: when the server's engine is a Swarm manager it lists the nodes,
/// then lists them again at each of the manager's node events (Swarm emits one when a node's state changes, when one
/// joins or leaves, or when its availability changes). At rest that is one idle event stream: no poll. On a single engine
/// it waits until <see cref="Poke"/> says the engine may have become a manager (`gantry cluster init`).
/// </summary>
public sealed partial class NodeWatch(DockerClient engine, TimeProvider time, ILogger<NodeWatch> logger) : BackgroundService
{
    /// <summary>How long to wait before following again after the engine went away or the stream failed.</summary>
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _poke = new(0, 1);
    private IReadOnlyList<NodeCondition> _nodes = [];

    /// <summary>The nodes as last listed; empty on a single engine.</summary>
    public IReadOnlyList<NodeCondition> Nodes => Volatile.Read(ref _nodes);

    /// <summary>Raised when a node's state, availability or role changed, or one joined or left.</summary>
    public event Action? Changed;

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
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await RefreshAsync(stoppingToken).ConfigureAwait(false))
                {
                    await _poke.WaitAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }
                var filters = new DockerFilters().Add("type", "node");
                await foreach (var _ in engine.Events.StreamAsync(new EventsOptions { Filters = filters }, stoppingToken).ConfigureAwait(false))
                {
                    if (!await RefreshAsync(stoppingToken).ConfigureAwait(false))
                    {
                        break; // the engine left its Swarm
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DockerApiException or DockerTransportException or IOException or HttpRequestException)
            {
                LogFollowFailed(logger, e.Message);
                await Task.Delay(Retry, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Lists the nodes when the engine is a manager; returns whether it is.</summary>
    private async Task<bool> RefreshAsync(CancellationToken ct)
    {
        var swarm = (await engine.System.InfoAsync(ct).ConfigureAwait(false)).Swarm;
        IReadOnlyList<NodeCondition> nodes = [];
        var manager = swarm is { LocalNodeState: "active", ControlAvailable: true };
        if (manager)
        {
            nodes = [.. (await engine.Nodes.ListAsync(null, ct).ConfigureAwait(false))
                .Select(n => new NodeCondition(string.IsNullOrEmpty(n.Description.Hostname) ? n.Id : n.Description.Hostname, n.Spec.Role, n.Status.State, n.Spec.Availability,
                    string.IsNullOrWhiteSpace(n.Status.Message) ? null : n.Status.Message, n.Status.Addr))
                .OrderBy(n => n.Name, StringComparer.Ordinal)];
        }
        var before = Interlocked.Exchange(ref _nodes, nodes);
        if (!before.SequenceEqual(nodes))
        {
            foreach (var node in nodes)
            {
                // A node's state or availability as it changes: the failover's timeline in the server's log.
                if (before.FirstOrDefault(b => b.Name == node.Name) is { } was && (was.State, was.Availability) != (node.State, node.Availability))
                {
                    LogNodeChanged(logger, node.Name, node.State, node.Availability, node.Message ?? "");
                }
            }
            Changed?.Invoke();
        }
        return manager;
    }

    public override void Dispose()
    {
        _poke.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 9121, Level = LogLevel.Information, Message = "cluster: node {Name} is {State} ({Availability}) {Reason}")]
    private static partial void LogNodeChanged(ILogger logger, string name, string state, string availability, string reason);

    [LoggerMessage(EventId = 9120, Level = LogLevel.Warning, Message = "cluster: following the manager's node events failed ({Reason}); trying again in 5 s")]
    private static partial void LogFollowFailed(ILogger logger, string reason);
}
