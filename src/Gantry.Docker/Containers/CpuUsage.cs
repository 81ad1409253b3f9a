using System.Text.Json.Serialization;

namespace Gantry.Docker.Containers;

/// <summary>Container CPU usage counters.</summary>
public sealed record CpuUsage
{
    /// <summary>Total CPU time consumed.</summary>
    [JsonPropertyName("total_usage")]
    public ulong TotalUsage { get; init; }

    /// <summary>Per-CPU time (cgroup v1 only).</summary>
    [JsonPropertyName("percpu_usage")]
    public IReadOnlyList<ulong>? PerCpuUsage { get; init; }

    /// <summary>Time in kernel mode.</summary>
    [JsonPropertyName("usage_in_kernelmode")]
    public ulong UsageInKernelMode { get; init; }

    /// <summary>Time in user mode.</summary>
    [JsonPropertyName("usage_in_usermode")]
    public ulong UsageInUserMode { get; init; }
}
