namespace Gantry.Controllers.Engine;

/// <summary>A sample of a container's resource use, computed the way `docker stats` shows it.</summary>
/// <param name="CpuPercent">The engine's own CPU figure over its last second (100 = one CPU); 0 when the read carried no previous counters.</param>
public sealed record ContainerUsage(double CpuPercent, long MemoryUsageBytes, long MemoryLimitBytes)
{
    /// <summary>When the engine read the counters below: CPU use over an interval is the CPU time between two reads divided by the time between them.</summary>
    public DateTimeOffset ReadAt { get; init; }

    /// <summary>CPU time the container used since it started, in nanoseconds (all CPUs).</summary>
    public ulong CpuNanoseconds { get; init; }

    /// <summary>Bytes received on every interface since the container's network came up (it starts again at 0 on a restart).</summary>
    public long NetworkRxBytes { get; init; }

    /// <summary>Bytes sent on every interface, counted like <see cref="NetworkRxBytes"/>.</summary>
    public long NetworkTxBytes { get; init; }
}
