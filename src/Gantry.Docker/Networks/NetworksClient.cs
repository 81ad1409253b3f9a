using System.Net.Http.Json;
using Gantry.Docker.Containers;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Networks;

/// <summary>Network operations of the Engine API.</summary>
public sealed class NetworksClient
{
    private readonly DockerConnection _connection;

    internal NetworksClient(DockerConnection connection) => _connection = connection;

    /// <summary>Creates a network; 409 when the name exists.</summary>
    public Task<NetworkCreateResponse> CreateAsync(NetworkCreateParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var request = DockerRequest.Post("/networks/create") with
        {
            Content = JsonContent.Create(parameters, DockerJsonContext.Default.NetworkCreateParameters),
        };
        return _connection.GetJsonAsync(request, DockerJsonContext.Default.NetworkCreateResponse, cancellationToken);
    }

    /// <summary>Inspects a network by id or name, including its containers.</summary>
    public Task<NetworkInspectResponse> InspectAsync(string id, CancellationToken cancellationToken = default) =>
        _connection.GetJsonAsync(DockerRequest.Get($"/networks/{DockerRequest.Segment(id)}"),
            DockerJsonContext.Default.NetworkInspectResponse, cancellationToken);

    /// <summary>Lists networks matching the filters (label, name, driver, ...).</summary>
    public Task<IReadOnlyList<NetworkInspectResponse>> ListAsync(DockerFilters? filters = null, CancellationToken cancellationToken = default) =>
        _connection.GetJsonAsync(DockerRequest.Get("/networks", new QueryString().Add("filters", filters)),
            DockerJsonContext.Default.IReadOnlyListNetworkInspectResponse, cancellationToken);

    /// <summary>Removes a network; 409 while containers are attached.</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken = default) =>
        _connection.SendNoContentAsync(DockerRequest.Delete($"/networks/{DockerRequest.Segment(id)}"), cancellationToken);

    /// <summary>Connects a container (running or not) to the network with optional aliases.</summary>
    public Task ConnectAsync(string network, string container, IReadOnlyList<string>? aliases = null,
        CancellationToken cancellationToken = default) => ConnectAsync(network, container, aliases, null, cancellationToken);

    /// <summary>Connects a container to the network with aliases and a static IPv4 address inside the network's subnet.</summary>
    public Task ConnectAsync(string network, string container, IReadOnlyList<string>? aliases, string? ipv4Address,
        CancellationToken cancellationToken = default)
    {
        var body = new NetworkConnectParameters
        {
            Container = container,
            EndpointConfig = aliases is null && ipv4Address is null ? null : new EndpointSettings
            {
                Aliases = aliases,
                IPAMConfig = ipv4Address is null ? null : new EndpointIpamConfig { IPv4Address = ipv4Address },
            },
        };
        var request = DockerRequest.Post($"/networks/{DockerRequest.Segment(network)}/connect") with
        {
            Content = JsonContent.Create(body, DockerJsonContext.Default.NetworkConnectParameters),
        };
        return _connection.SendNoContentAsync(request, cancellationToken);
    }

    /// <summary>Disconnects a container from the network.</summary>
    public Task DisconnectAsync(string network, string container, bool force = false, CancellationToken cancellationToken = default)
    {
        var request = DockerRequest.Post($"/networks/{DockerRequest.Segment(network)}/disconnect") with
        {
            Content = JsonContent.Create(new NetworkDisconnectParameters { Container = container, Force = force },
                DockerJsonContext.Default.NetworkDisconnectParameters),
        };
        return _connection.SendNoContentAsync(request, cancellationToken);
    }
}
