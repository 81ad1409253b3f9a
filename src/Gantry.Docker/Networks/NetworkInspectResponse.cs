namespace Gantry.Docker.Networks;

/// <summary>A network as <c>GET /networks/{id}</c> and the list call report it.</summary>
public sealed record NetworkInspectResponse
{
    /// <summary>Name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Driver.</summary>
    public string Driver { get; init; } = "";

    /// <summary><c>local</c> or <c>swarm</c>.</summary>
    public string? Scope { get; init; }

    /// <summary>Internal network.</summary>
    public bool Internal { get; init; }

    /// <summary>Attachable.</summary>
    public bool Attachable { get; init; }

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Driver options.</summary>
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    /// <summary>Address management: the subnets the network gives addresses from.</summary>
    public NetworkIpam? IPAM { get; init; }

    /// <summary>Container id to endpoint (filled by inspect, empty in lists).</summary>
    public IReadOnlyDictionary<string, NetworkContainer>? Containers { get; init; }
}
