using System.Net.Http.Json;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Swarm;

/// <summary>The swarm's services: create, inspect, update, remove, list. Swarm keeps each one's tasks at its replica count.</summary>
public sealed class ServicesClient
{
    private readonly DockerConnection _connection;

    internal ServicesClient(DockerConnection connection) => _connection = connection;

    /// <summary>Creates a service; 409 when the name exists. Registry credentials (for pulls on every node) go in registryAuth.</summary>
    public Task<ServiceCreateResponse> CreateAsync(ServiceSpec spec, string? registryAuth = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var request = DockerRequest.Post("/services/create") with
        {
            Content = JsonContent.Create(spec, DockerJsonContext.Default.ServiceSpec),
            Headers = Auth(registryAuth),
        };
        return _connection.GetJsonAsync(request, DockerJsonContext.Default.ServiceCreateResponse, cancellationToken);
    }

    /// <summary>One service by id or name.</summary>
    public Task<SwarmService> InspectAsync(string id, CancellationToken cancellationToken = default) =>
        _connection.GetJsonAsync(DockerRequest.Get($"/services/{DockerRequest.Segment(id)}"), DockerJsonContext.Default.SwarmService,
            cancellationToken);

    /// <summary>Every service matching the filters (id, name, label, mode).</summary>
    public Task<IReadOnlyList<SwarmService>> ListAsync(DockerFilters? filters = null, CancellationToken cancellationToken = default) =>
        _connection.GetJsonAsync(DockerRequest.Get("/services", new QueryString().Add("filters", filters)),
            DockerJsonContext.Default.IReadOnlyListSwarmService, cancellationToken);

    /// <summary>Replaces the service's spec at the version it was read at.</summary>
    public Task UpdateAsync(string id, long version, ServiceSpec spec, string? registryAuth = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var request = DockerRequest.Post($"/services/{DockerRequest.Segment(id)}/update", new QueryString().Add("version", version)) with
        {
            Content = JsonContent.Create(spec, DockerJsonContext.Default.ServiceSpec),
            Headers = Auth(registryAuth),
        };
        return _connection.GetStringAsync(request, cancellationToken);
    }

    /// <summary>Removes a service; its tasks are shut down on their nodes.</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken = default) =>
        _connection.SendNoContentAsync(DockerRequest.Delete($"/services/{DockerRequest.Segment(id)}"), cancellationToken);

    private static IReadOnlyDictionary<string, string> Auth(string? registryAuth) =>
        registryAuth is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["X-Registry-Auth"] = registryAuth };
}
