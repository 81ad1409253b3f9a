namespace Gantry.Model;

/// <summary>How a network's addresses are assigned (compose `networks.*.ipam`).</summary>
public sealed record IpamSpec
{
    /// <summary>The IPAM driver; null is the engine's default.</summary>
    public string? Driver { get; init; }

    public IReadOnlyList<IpamPoolSpec> Config { get; init; } = [];

    public IReadOnlyDictionary<string, string> Options { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>One address pool of a network: a subnet with an optional range and gateway.</summary>
public sealed record IpamPoolSpec(string Subnet)
{
    public string? IpRange { get; init; }

    public string? Gateway { get; init; }
}
