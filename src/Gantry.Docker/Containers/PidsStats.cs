using System.Text.Json.Serialization;

namespace Gantry.Docker.Containers;

/// <summary>Process counters.</summary>
public sealed record PidsStats
{
    /// <summary>Current number of processes.</summary>
    [JsonPropertyName("current")]
    public ulong Current { get; init; }

    /// <summary>Limit, if any.</summary>
    [JsonPropertyName("limit")]
    public ulong? Limit { get; init; }
}
