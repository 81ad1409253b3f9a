namespace Gantry.Docker.Containers;

/// <summary>The docker CLI's stats arithmetic (cli/command/container/stats_helpers.go), as a pure function.</summary>
public static class StatsCalculator
{
    /// <summary>Computes CPU percent and memory usage for a sample that carries its previous CPU counters.</summary>
    public static ContainerResourceUsage Compute(ContainerStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var memory = MemoryUsageWithoutCache(stats.MemoryStats);
        var limit = stats.MemoryStats.Limit;
        ulong rx = 0, tx = 0;
        foreach (var network in stats.Networks?.Values ?? [])
        {
            rx += network.RxBytes;
            tx += network.TxBytes;
        }

        return new ContainerResourceUsage(
            CpuPercent(stats.CpuStats, stats.PreCpuStats),
            memory,
            limit,
            limit == 0 ? 0 : memory * 100.0 / limit,
            stats.PidsStats?.Current,
            rx,
            tx);
    }

    /// <summary>(container CPU delta / host CPU delta) x online CPUs x 100; 0 when either delta is not positive.</summary>
    public static double CpuPercent(CpuStats current, CpuStats previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        var cpuDelta = (double)current.CpuUsage.TotalUsage - previous.CpuUsage.TotalUsage;
        var systemDelta = (double)(current.SystemCpuUsage ?? 0) - (previous.SystemCpuUsage ?? 0);
        double onlineCpus = current.OnlineCpus ?? 0;
        if (onlineCpus == 0)
        {
            onlineCpus = current.CpuUsage.PerCpuUsage?.Count ?? 0;
        }

        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * onlineCpus * 100.0 : 0;
    }

    /// <summary>
    /// Usage minus reclaimable page cache: cgroup v1 subtracts <c>total_inactive_file</c>, cgroup v2 <c>inactive_file</c>,
    /// exactly as docker stats does since 20.10 (older CLIs subtracted <c>cache</c>, which over-corrects).
    /// </summary>
    public static ulong MemoryUsageWithoutCache(MemoryStats memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var stats = memory.Stats;
        if (stats is not null)
        {
            if (stats.TryGetValue("total_inactive_file", out var v1) && v1 < memory.Usage)
            {
                return memory.Usage - v1;
            }

            if (!stats.ContainsKey("total_inactive_file") && stats.TryGetValue("inactive_file", out var v2) && v2 < memory.Usage)
            {
                return memory.Usage - v2;
            }
        }

        return memory.Usage;
    }
}
