using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Swarm;

/// <summary>
/// Swarm membership of this engine: init, join, leave, inspect and update the cluster. Join and leave act on the engine this
/// client talks to, which is how Gantry adds a machine through that machine's own API.
/// </summary>
public sealed class SwarmClient
{
    private readonly DockerConnection _connection;

    internal SwarmClient(DockerConnection connection) => _connection = connection;

    /// <summary>Makes this engine the first manager of a new swarm; returns its node id. 503 when it is already in one.</summary>
    public Task<string> InitAsync(SwarmInitParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var request = DockerRequest.Post("/swarm/init") with
        {
            Content = JsonContent.Create(parameters, DockerJsonContext.Default.SwarmInitParameters),
        };
        return _connection.GetJsonAsync(request, DockerJsonContext.Default.String, cancellationToken);
    }

    /// <summary>Joins this engine to the swarm its managers at RemoteAddrs run, as the token's role.</summary>
    public Task JoinAsync(SwarmJoinParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var request = DockerRequest.Post("/swarm/join") with
        {
            Content = JsonContent.Create(parameters, DockerJsonContext.Default.SwarmJoinParameters),
        };
        return _connection.SendNoContentAsync(request, cancellationToken);
    }

    /// <summary>Leaves the swarm; force is needed for a manager (and loses quorum if it was the last one).</summary>
    public Task LeaveAsync(bool force = false, CancellationToken cancellationToken = default) =>
        _connection.SendNoContentAsync(DockerRequest.Post("/swarm/leave", new QueryString().AddFlag("force", force)), cancellationToken);

    /// <summary>The cluster as a manager sees it: id, version, spec and join tokens. 503 on a worker or outside a swarm.</summary>
    public Task<SwarmInspectResponse> InspectAsync(CancellationToken cancellationToken = default) =>
        _connection.GetJsonAsync(DockerRequest.Get("/swarm"), DockerJsonContext.Default.SwarmInspectResponse, cancellationToken);

    /// <summary>
    /// Replaces the cluster's spec at the version it was read at (409-like 500 "update out of sequence" when it moved on).
    /// The spec is passed through whole, so fields this client does not model keep their values.
    /// </summary>
    public Task UpdateAsync(long version, JsonObject spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var request = DockerRequest.Post("/swarm/update", new QueryString().Add("version", version)) with
        {
            Content = JsonContent.Create(spec, DockerJsonContext.Default.JsonObject),
        };
        return _connection.SendNoContentAsync(request, cancellationToken);
    }
}
