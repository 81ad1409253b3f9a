using Gantry.Docker.Containers;

namespace Gantry.Docker.Networks;

/// <summary>The body of <c>POST /networks/{id}/connect</c>.</summary>
public sealed record NetworkConnectParameters
{
    /// <summary>Container id or name.</summary>
    public required string Container { get; init; }

    /// <summary>Aliases and addresses on this network.</summary>
    public EndpointSettings? EndpointConfig { get; init; }
}
