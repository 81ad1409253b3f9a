namespace Gantry.Docker.Containers;

/// <summary>Networks a container joins at create time (the daemon honours one endpoint here).</summary>
public sealed record NetworkingConfig
{
    /// <summary>Network name to endpoint settings.</summary>
    public IReadOnlyDictionary<string, EndpointSettings>? EndpointsConfig { get; init; }

    /// <summary>One network with optional aliases.</summary>
    public static NetworkingConfig For(string network, params string[] aliases) => ForAddress(network, null, aliases);

    /// <summary>One network with aliases and an optional static IPv4 address (inside the network's own subnet).</summary>
    public static NetworkingConfig ForAddress(string network, string? ipv4Address, IReadOnlyList<string> aliases) => new()
    {
        EndpointsConfig = new Dictionary<string, EndpointSettings>(StringComparer.Ordinal)
        {
            [network] = new EndpointSettings
            {
                Aliases = aliases.Count == 0 ? null : aliases,
                IPAMConfig = ipv4Address is null ? null : new EndpointIpamConfig { IPv4Address = ipv4Address },
            },
        },
    };
}
