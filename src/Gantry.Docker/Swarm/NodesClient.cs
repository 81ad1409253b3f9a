using System.Net.Http.Json;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Swarm;

/// <summary>The swarm's nodes, as a manager sees them: list, inspect, update (role, availability, labels), remove.</summary>
public sealed class NodesClient
{
    private readonly DockerConnection _connection;

    internal NodesClient(DockerConnection connection) => _connection = connection;

    /// <summary>Every node matching the filters (id, name, role, membership, label, node.label).</summary>
    public Task<IReadOnlyList<SwarmNode>> ListAsync(DockerFilters? filters = null, CancellationToken cancellationToken = default) =>
        _connection.GetJsonAsync(DockerRequest.Get("/nodes", new QueryString().Add("filters", filters)),
            DockerJsonContext.Default.IReadOnlyListSwarmNode, cancellationToken);

    /// <summary>One node by id or host name.</summary>
    public Task<SwarmNode> InspectAsync(string id, CancellationToken cancellationToken = default) =>
        _connection.GetJsonAsync(DockerRequest.Get($"/nodes/{DockerRequest.Segment(id)}"), DockerJsonContext.Default.SwarmNode, cancellationToken);

    /// <summary>Replaces the node's spec at the version it was read at.</summary>
    public Task UpdateAsync(string id, long version, NodeSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var request = DockerRequest.Post($"/nodes/{DockerRequest.Segment(id)}/update", new QueryString().Add("version", version)) with
        {
            Content = JsonContent.Create(spec, DockerJsonContext.Default.NodeSpec),
        };
        return _connection.SendNoContentAsync(request, cancellationToken);
    }

    /// <summary>Removes a node from the swarm; without force the manager refuses one that is not down.</summary>
    public Task RemoveAsync(string id, bool force = false, CancellationToken cancellationToken = default) =>
        _connection.SendNoContentAsync(DockerRequest.Delete($"/nodes/{DockerRequest.Segment(id)}", new QueryString().AddFlag("force", force)),
            cancellationToken);
}
