namespace Gantry.Docker.Networks;

/// <summary>The body of <c>POST /networks/{id}/disconnect</c>.</summary>
public sealed record NetworkDisconnectParameters
{
    /// <summary>Container id or name.</summary>
    public required string Container { get; init; }

    /// <summary>Disconnect even if the container is stopped or the endpoint is stale.</summary>
    public bool Force { get; init; }
}
