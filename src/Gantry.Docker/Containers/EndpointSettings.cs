namespace Gantry.Docker.Containers;

/// <summary>A container's endpoint on one network: requested aliases on the way in, addresses on the way out.</summary>
public sealed record EndpointSettings
{
    /// <summary>DNS aliases on this network.</summary>
    public IReadOnlyList<string>? Aliases { get; init; }

    /// <summary>The static address asked for on this network (the network needs a subnet of its own).</summary>
    public EndpointIpamConfig? IPAMConfig { get; init; }

    /// <summary>Network id.</summary>
    public string? NetworkId { get; init; }

    /// <summary>Endpoint id.</summary>
    public string? EndpointId { get; init; }

    /// <summary>IPv4 gateway.</summary>
    public string? Gateway { get; init; }

    /// <summary>IPv4 address on this network.</summary>
    public string? IPAddress { get; init; }

    /// <summary>Prefix length of IPAddress.</summary>
    public int? IPPrefixLen { get; init; }

    /// <summary>MAC address.</summary>
    public string? MacAddress { get; init; }
}
