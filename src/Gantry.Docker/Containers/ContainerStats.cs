using System.Text.Json.Serialization;

namespace Gantry.Docker.Containers;

/// <summary>One sample from <c>GET /containers/{id}/stats</c> (snake_case on the wire, unlike the rest of the API).</summary>
public sealed record ContainerStats
{
    /// <summary>When this sample was read.</summary>
    [JsonPropertyName("read")]
    public DateTimeOffset Read { get; init; }

    /// <summary>When the previous sample was read.</summary>
    [JsonPropertyName("preread")]
    public DateTimeOffset PreRead { get; init; }

    /// <summary>Container name with leading slash.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Container id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Process count.</summary>
    [JsonPropertyName("pids_stats")]
    public PidsStats? PidsStats { get; init; }

    /// <summary>CPU counters now.</summary>
    [JsonPropertyName("cpu_stats")]
    public CpuStats CpuStats { get; init; } = new();

    /// <summary>CPU counters at the previous sample.</summary>
    [JsonPropertyName("precpu_stats")]
    public CpuStats PreCpuStats { get; init; } = new();

    /// <summary>Memory counters.</summary>
    [JsonPropertyName("memory_stats")]
    public MemoryStats MemoryStats { get; init; } = new();

    /// <summary>Per-interface network counters.</summary>
    [JsonPropertyName("networks")]
    public IReadOnlyDictionary<string, NetworkStats>? Networks { get; init; }
}
