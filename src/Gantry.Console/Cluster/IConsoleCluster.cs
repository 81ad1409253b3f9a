using Gantry.Model.Api.Cluster;
using Microsoft.AspNetCore.Http;

namespace Gantry.Console.Cluster;

/// <summary>
/// The cluster's nodes for the Apps page's node view, implemented by the server with what `GET /api/v1/cluster/nodes`
/// (`gantry nodes`) reads, under its rule: admins only, since nodes are machines, not any team's.
/// </summary>
public interface IConsoleCluster
{
    /// <summary>
    /// The nodes with role, state, availability, capacity, Gantry's reservations and replicas; null when the user is no admin
    /// or the server's engine is not a Swarm manager (nothing to show); the API's problem when the engine failed to answer.
    /// </summary>
    Task<ConsoleChange<IReadOnlyList<NodeView>>?> NodesAsync(HttpContext context, CancellationToken ct);
}
