namespace Gantry.Docker.Containers;

/// <summary>What <c>docker stats</c> shows for one sample: CPU percent (100 = one full CPU) and memory without page cache.</summary>
public sealed record ContainerResourceUsage(
    double CpuPercent,
    ulong MemoryUsageBytes,
    ulong MemoryLimitBytes,
    double MemoryPercent,
    ulong? Pids,
    ulong NetworkRxBytes,
    ulong NetworkTxBytes);
