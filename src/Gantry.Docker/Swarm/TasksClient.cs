using Gantry.Docker.Transport;

namespace Gantry.Docker.Swarm;

/// <summary>The swarm's tasks (a service's replicas, each placed on a node), as a manager sees them.</summary>
public sealed class TasksClient
{
    private readonly DockerConnection _connection;

    internal TasksClient(DockerConnection connection) => _connection = connection;

    /// <summary>Every task matching the filters (service, node, label, desired-state).</summary>
    public Task<IReadOnlyList<SwarmTask>> ListAsync(DockerFilters? filters = null, CancellationToken cancellationToken = default) =>
        _connection.GetJsonAsync(DockerRequest.Get("/tasks", new QueryString().Add("filters", filters)),
            DockerJsonContext.Default.IReadOnlyListSwarmTask, cancellationToken);
}
