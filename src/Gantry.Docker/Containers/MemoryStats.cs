using System.Text.Json.Serialization;

namespace Gantry.Docker.Containers;

/// <summary>Memory counters; Stats holds the cgroup's memory.stat keys (v1: total_inactive_file, cache; v2: inactive_file, file).</summary>
public sealed record MemoryStats
{
    /// <summary>Usage in bytes including page cache.</summary>
    [JsonPropertyName("usage")]
    public ulong Usage { get; init; }

    /// <summary>Peak usage (cgroup v1).</summary>
    [JsonPropertyName("max_usage")]
    public ulong? MaxUsage { get; init; }

    /// <summary>Limit in bytes (the host's memory when unlimited).</summary>
    [JsonPropertyName("limit")]
    public ulong Limit { get; init; }

    /// <summary>Raw memory.stat values.</summary>
    [JsonPropertyName("stats")]
    public IReadOnlyDictionary<string, ulong>? Stats { get; init; }
}
