namespace Gantry.Docker.Containers;

/// <summary>A container's network endpoints (name to address and aliases) and published ports.</summary>
public sealed record NetworkSettings
{
    /// <summary>Network name to endpoint.</summary>
    public IReadOnlyDictionary<string, EndpointSettings>? Networks { get; init; }

    /// <summary>Container port key to host bindings (null entries for exposed but unpublished ports).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>?>? Ports { get; init; }
}
