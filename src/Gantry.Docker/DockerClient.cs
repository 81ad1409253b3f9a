using Gantry.Docker.Containers;
using Gantry.Docker.Events;
using Gantry.Docker.Images;
using Gantry.Docker.Networks;
using Gantry.Docker.Swarm;
using Gantry.Docker.System;
using Gantry.Docker.Transport;
using Gantry.Docker.Volumes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Docker;

/// <summary>
/// Gantry's Docker Engine API client: one connection pool to one daemon, with an area client per resource kind.
/// Thread-safe; create one per engine and share it.
/// </summary>
public sealed class DockerClient : IDisposable, IAsyncDisposable
{
    private readonly DockerConnection _connection;

    /// <summary>Connects (lazily, on the first call) to the endpoint in options; deadlines run on timeProvider.</summary>
    public DockerClient(DockerClientOptions options, TimeProvider? timeProvider = null, ILogger<DockerClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _connection = new DockerConnection(options, timeProvider ?? TimeProvider.System, logger ?? NullLogger<DockerClient>.Instance);
        Containers = new ContainersClient(_connection);
        Images = new ImagesClient(_connection);
        Networks = new NetworksClient(_connection);
        Volumes = new VolumesClient(_connection);
        System = new SystemClient(_connection);
        Events = new EventsClient(_connection);
        Swarm = new SwarmClient(_connection);
        Nodes = new NodesClient(_connection);
        Services = new ServicesClient(_connection);
        Tasks = new TasksClient(_connection);
    }

    /// <summary>The options this client was created with.</summary>
    public DockerClientOptions Options { get; }

    /// <summary>The parsed endpoint.</summary>
    public DockerEndpoint Endpoint => _connection.Endpoint;

    /// <summary>Containers: create, start, stop, kill, inspect, list, wait, logs, stats.</summary>
    public ContainersClient Containers { get; }

    /// <summary>Images: build, pull, push, tag, inspect, list, remove.</summary>
    public ImagesClient Images { get; }

    /// <summary>Networks: create, inspect, list, remove, connect, disconnect.</summary>
    public NetworksClient Networks { get; }

    /// <summary>Volumes: create, inspect, list, remove.</summary>
    public VolumesClient Volumes { get; }

    /// <summary>Ping, version, info.</summary>
    public SystemClient System { get; }

    /// <summary>The daemon's event stream.</summary>
    public EventsClient Events { get; }

    /// <summary>Swarm membership: init, join, leave, inspect, update (join and leave act on this engine).</summary>
    public SwarmClient Swarm { get; }

    /// <summary>The swarm's nodes (on a manager).</summary>
    public NodesClient Nodes { get; }

    /// <summary>The swarm's services (on a manager).</summary>
    public ServicesClient Services { get; }

    /// <summary>The swarm's tasks (on a manager).</summary>
    public TasksClient Tasks { get; }

    /// <summary>A client for DOCKER_HOST (default unix:///var/run/docker.sock), DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.</summary>
    public static DockerClient FromEnvironment(TimeProvider? timeProvider = null, ILogger<DockerClient>? logger = null) =>
        new(DockerEnvironment.ReadOptions(Environment.GetEnvironmentVariable), timeProvider, logger);

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
