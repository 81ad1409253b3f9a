using System.Text.Json.Serialization;

namespace Gantry.Docker.Swarm;

/// <summary>The answer of <c>POST /services/create</c>.</summary>
public sealed record ServiceCreateResponse
{
    /// <summary>The new service's id.</summary>
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    /// <summary>Warnings, such as an image whose digest could not be resolved (nodes may then run different bytes).</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
}
