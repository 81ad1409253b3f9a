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

/// <summary>One interface's counters.</summary>
public sealed record NetworkStats
{
    /// <summary>Bytes received.</summary>
    [JsonPropertyName("rx_bytes")]
    public ulong RxBytes { get; init; }

    /// <summary>Bytes sent.</summary>
    [JsonPropertyName("tx_bytes")]
    public ulong TxBytes { get; init; }
}
