using Gantry.Console;
using Gantry.Console.Cluster;
using Gantry.Controllers.Engine;
using Gantry.Controllers.Swarm;
using Gantry.Docker;
using Gantry.Model.Api.Cluster;
using Gantry.Server.Apps;
using Gantry.Server.Auth;
using Gantry.Server.Cluster;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Console;

/// <summary>
/// The Apps page's node view on <see cref="ClusterService.ListNodesAsync"/>, what `gantry nodes` reads, for admins only (the
/// cluster endpoints' rule). Whether the engine is a Swarm manager is asked of the engine driver, which reads it at most every
/// 2 s for its own calls, so an admin's Apps page on a single engine costs no more than that.
/// </summary>
public sealed class ConsoleCluster(ClusterService cluster, IEngineDriver engine) : IConsoleCluster
{
    public async Task<ConsoleChange<IReadOnlyList<NodeView>>?> NodesAsync(HttpContext context, CancellationToken ct)
    {
        if (!context.Principal().IsAdmin)
        {
            return null;
        }
        try
        {
            if (engine is SwarmEngineDriver swarm && !await swarm.IsClusterAsync(ct).ConfigureAwait(false))
            {
                return null;
            }
            var nodes = await cluster.ListNodesAsync(ct).ConfigureAwait(false);
            // Not a manager (any more): nothing to show, as on a single engine.
            return nodes.Kind == ChangeOutcomeKind.Accepted ? ConsoleChange<IReadOnlyList<NodeView>>.Done(nodes.Response!) : null;
        }
        catch (Exception e) when (e is DockerApiException or DockerTransportException or EngineException)
        {
            return ConsoleChange<IReadOnlyList<NodeView>>.Failed(ApiResults.ProblemBody(StatusCodes.Status502BadGateway, "Engine unreachable",
                $"the server's engine did not list its nodes: {e.Message}"));
        }
    }
}
