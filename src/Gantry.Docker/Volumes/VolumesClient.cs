using System.Net.Http.Json;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Volumes;

/// <summary>Volume operations of the Engine API.</summary>
public sealed class VolumesClient
{
    private readonly DockerConnection _connection;

    internal VolumesClient(DockerConnection connection) => _connection = connection;

    /// <summary>Creates a volume (idempotent for the same name and driver).</summary>
    public Task<VolumeResponse> CreateAsync(VolumeCreateParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var request = DockerRequest.Post("/volumes/create") with
        {
            Content = JsonContent.Create(parameters, DockerJsonContext.Default.VolumeCreateParameters),
        };
        return _connection.GetJsonAsync(request, DockerJsonContext.Default.VolumeResponse, cancellationToken);
    }

    /// <summary>Inspects a volume.</summary>
    public Task<VolumeResponse> InspectAsync(string name, CancellationToken cancellationToken = default) =>
        _connection.GetJsonAsync(DockerRequest.Get($"/volumes/{DockerRequest.Segment(name)}"),
            DockerJsonContext.Default.VolumeResponse, cancellationToken);

    /// <summary>Lists volumes matching the filters (label, name, driver, dangling).</summary>
    public async Task<IReadOnlyList<VolumeResponse>> ListAsync(DockerFilters? filters = null, CancellationToken cancellationToken = default)
    {
        var response = await _connection.GetJsonAsync(DockerRequest.Get("/volumes", new QueryString().Add("filters", filters)),
            DockerJsonContext.Default.VolumeListResponse, cancellationToken).ConfigureAwait(false);
        return response.Volumes ?? [];
    }

    /// <summary>Removes a volume; 409 while a container uses it.</summary>
    public Task RemoveAsync(string name, bool force = false, CancellationToken cancellationToken = default) =>
        _connection.SendNoContentAsync(
            DockerRequest.Delete($"/volumes/{DockerRequest.Segment(name)}", new QueryString().AddFlag("force", force)),
            cancellationToken);
}
