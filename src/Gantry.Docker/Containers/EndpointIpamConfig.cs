namespace Gantry.Docker.Containers;

/// <summary>A static address for a container's endpoint on one network.</summary>
public sealed record EndpointIpamConfig
{
    /// <summary>IPv4 address inside the network's subnet.</summary>
    public string? IPv4Address { get; init; }
}
