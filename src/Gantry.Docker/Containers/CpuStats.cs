using System.Text.Json.Serialization;

namespace Gantry.Docker.Containers;

/// <summary>CPU counters in nanoseconds of CPU time.</summary>
public sealed record CpuStats
{
    /// <summary>Container CPU usage.</summary>
    [JsonPropertyName("cpu_usage")]
    public CpuUsage CpuUsage { get; init; } = new();

    /// <summary>Host-wide CPU time (all CPUs) since boot.</summary>
    [JsonPropertyName("system_cpu_usage")]
    public ulong? SystemCpuUsage { get; init; }

    /// <summary>CPUs online; missing on old daemons, then percpu_usage's length is used.</summary>
    [JsonPropertyName("online_cpus")]
    public uint? OnlineCpus { get; init; }
}
