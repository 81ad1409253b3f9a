using System.Text.Json.Serialization;

namespace Gantry.Docker.Swarm;

/// <summary>A service as a manager keeps it: id, version and spec.</summary>
public sealed record SwarmService
{
    /// <summary>The service id.</summary>
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    /// <summary>The version an update must name.</summary>
    public ObjectVersion Version { get; init; } = new();

    /// <summary>What it should run.</summary>
    public ServiceSpec Spec { get; init; } = new();
}
