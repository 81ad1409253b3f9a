namespace Gantry.Docker.Networks;

/// <summary>A container's endpoint as seen from the network.</summary>
public sealed record NetworkContainer
{
    /// <summary>Container name.</summary>
    public string? Name { get; init; }

    /// <summary>Address with prefix, for example <c>172.18.0.2/16</c>.</summary>
    public string? IPv4Address { get; init; }
}
