namespace Gantry.Docker.Networks;

/// <summary>A network's address management: the driver and its pools.</summary>
public sealed record NetworkIpam
{
    /// <summary>IPAM driver; null is <c>default</c>.</summary>
    public string? Driver { get; init; }

    /// <summary>Address pools.</summary>
    public IReadOnlyList<NetworkIpamPool>? Config { get; init; }

    /// <summary>Driver options.</summary>
    public IReadOnlyDictionary<string, string>? Options { get; init; }
}

/// <summary>One address pool: a subnet, the range containers get addresses from, and the gateway.</summary>
public sealed record NetworkIpamPool
{
    /// <summary>CIDR subnet, such as <c>172.28.0.0/16</c>.</summary>
    public required string Subnet { get; init; }

    /// <summary>CIDR range inside the subnet that addresses are allocated from.</summary>
    public string? IPRange { get; init; }

    /// <summary>Gateway address.</summary>
    public string? Gateway { get; init; }
}
