using Gantry.Router.Contracts.Routes;
using Gantry.Server.Routing;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Cluster;

/// <summary>
/// The routing half of `gantry node drain` (docs/decisions/0031): before Swarm is told to drain a node (which stops its tasks
/// at once), the node's replicas leave the route table and every router confirms it has no request on them, as a rolling
/// deploy drains a replica before stopping it. So a drain under load fails no request.
/// </summary>
public sealed partial class NodeDrain(UnroutedNodes nodes, RouteTablePublisher routes, Releases.RouterFleet fleet, TimeProvider time, ILogger<NodeDrain> logger)
{
    /// <summary>The most a drain waits for the routers; after it Swarm drains the node anyway (a router that stopped
    /// reporting must not block an operator's drain for ever).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>Leaves the node's replicas out of the route table and waits until no router routes to them or has a request
    /// on them. Returns the replicas it waited for.</summary>
    public async Task<IReadOnlyList<string>> UnrouteAsync(string node, CancellationToken ct)
    {
        var replicas = ReplicasOn(routes.Current, node);
        nodes.BeginDrain(node);
        var deadline = time.GetUtcNow() + MaxWait;
        while (replicas.Any(r => !fleet.IsDrained(r)))
        {
            if (time.GetUtcNow() >= deadline)
            {
                LogNotDrained(logger, node, string.Join(", ", replicas.Where(r => !fleet.IsDrained(r))));
                break;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, ct).ConfigureAwait(false);
        }
        return replicas;
    }

    /// <summary>The drain did not reach Swarm: the node's replicas are routed again.</summary>
    public void Abandon(string node) => nodes.EndDrain(node);

    /// <summary>The replicas a table names on <paramref name="node"/> (the destinations' <c>node</c> label), at any weight. Pure.</summary>
    public static IReadOnlyList<string> ReplicasOn(RouteTableSpec table, string node)
    {
        ArgumentNullException.ThrowIfNull(table);
        return [.. table.Clusters.SelectMany(c => c.Destinations)
            .Where(d => d.Labels.TryGetValue("node", out var on) && on == node)
            .Select(d => d.Id)
            .Distinct(StringComparer.Ordinal)];
    }

    [LoggerMessage(EventId = 9106, Level = LogLevel.Warning, Message = "cluster: draining {Node}: routers still had requests on {Replicas} after 30 s; Swarm drains it now")]
    private static partial void LogNotDrained(ILogger logger, string node, string replicas);
}
