namespace Gantry.Docker.Containers;

/// <summary>Networks a container joins at create time (the daemon honours one endpoint here).</summary>
public sealed record NetworkingConfig
{
    /// <summary>Network name to endpoint settings.</summary>
    public IReadOnlyDictionary<string, EndpointSettings>? EndpointsConfig { get; init; }

    /// <summary>One network with optional aliases.</summary>
    public static NetworkingConfig For(string network, params string[] aliases) => new()
    {
        EndpointsConfig = new Dictionary<string, EndpointSettings>(StringComparer.Ordinal)
        {
            [network] = new EndpointSettings { Aliases = aliases.Length == 0 ? null : aliases },
        },
    };
}
