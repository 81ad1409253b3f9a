using System.Runtime.CompilerServices;
using Gantry.Docker.Containers;
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

    /// <summary>
    /// A task's log lines, wherever it runs: the manager fetches them from the task's node (the log driver must be one the
    /// daemon can read back, such as json-file or local). Services Gantry creates have no TTY, so the body is multiplexed as
    /// a container's is. <see cref="ContainerLogsOptions.Until"/> is not a parameter of this endpoint and is ignored.
    /// </summary>
    public async IAsyncEnumerable<LogEntry> LogsAsync(string id, ContainerLogsOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new ContainerLogsOptions();
        var query = options.ToQuery(withUntil: false);
        var stream = await _connection.OpenStreamAsync(DockerRequest.Get($"/tasks/{DockerRequest.Segment(id)}/logs", query),
            cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var entry in LogDemultiplexer.ReadAsync(stream, multiplexed: options.Tty != true, options.Timestamps, cancellationToken)
                               .ConfigureAwait(false))
            {
                yield return entry;
            }
        }
    }
}
