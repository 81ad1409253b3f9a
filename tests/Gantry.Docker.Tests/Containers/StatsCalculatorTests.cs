using Gantry.Docker.Containers;

namespace Gantry.Docker.Tests.Containers;

public sealed class StatsCalculatorTests
{
    private static CpuStats Cpu(ulong total, ulong system, uint? online, int perCpu = 0) => new()
    {
        CpuUsage = new CpuUsage { TotalUsage = total, PerCpuUsage = perCpu == 0 ? null : Enumerable.Repeat(1UL, perCpu).ToList() },
        SystemCpuUsage = system,
        OnlineCpus = online,
    };

    [Fact]
    public void CpuPercent_HalfOfOneCpuOnTwoCpuHost_Returns50()
    {
        // The host advanced 2 CPUs x 1 s = 2e9 ns; the container used 0.5e9 ns: half a CPU = 50 %.
        var percent = StatsCalculator.CpuPercent(Cpu(1_500_000_000, 12_000_000_000, 2), Cpu(1_000_000_000, 10_000_000_000, 2));

        Assert.Equal(50.0, percent, precision: 6);
    }

    [Fact]
    public void CpuPercent_OnlineCpusMissing_FallsBackToPerCpuCount()
    {
        var percent = StatsCalculator.CpuPercent(Cpu(2_000_000_000, 14_000_000_000, null, perCpu: 4),
            Cpu(0, 10_000_000_000, null, perCpu: 4));

        Assert.Equal(200.0, percent, precision: 6);
    }

    [Fact]
    public void CpuPercent_NoPreviousSample_ReturnsZero()
    {
        Assert.Equal(0, StatsCalculator.CpuPercent(Cpu(5, 0, 2), new CpuStats()));
    }

    [Fact]
    public void MemoryUsageWithoutCache_CgroupV1_SubtractsTotalInactiveFile()
    {
        var memory = new MemoryStats
        {
            Usage = 100_000,
            Limit = 1_000_000,
            Stats = new Dictionary<string, ulong> { ["total_inactive_file"] = 30_000, ["cache"] = 50_000, ["inactive_file"] = 1 },
        };

        Assert.Equal(70_000UL, StatsCalculator.MemoryUsageWithoutCache(memory));
    }

    [Fact]
    public void MemoryUsageWithoutCache_CgroupV2_SubtractsInactiveFile()
    {
        var memory = new MemoryStats { Usage = 100_000, Stats = new Dictionary<string, ulong> { ["inactive_file"] = 40_000, ["file"] = 60_000 } };

        Assert.Equal(60_000UL, StatsCalculator.MemoryUsageWithoutCache(memory));
    }

    [Fact]
    public void MemoryUsageWithoutCache_InactiveLargerThanUsage_ReturnsUsage()
    {
        var memory = new MemoryStats { Usage = 10, Stats = new Dictionary<string, ulong> { ["total_inactive_file"] = 20 } };

        Assert.Equal(10UL, StatsCalculator.MemoryUsageWithoutCache(memory));
    }

    [Fact]
    public void Compute_Sample_ReportsPercentOfLimitAndNetworkTotals()
    {
        var stats = new ContainerStats
        {
            CpuStats = Cpu(300, 1_000, 1),
            PreCpuStats = Cpu(200, 500, 1),
            MemoryStats = new MemoryStats { Usage = 300, Limit = 1_000, Stats = new Dictionary<string, ulong> { ["total_inactive_file"] = 50 } },
            PidsStats = new PidsStats { Current = 3 },
            Networks = new Dictionary<string, NetworkStats>
            {
                ["eth0"] = new() { RxBytes = 10, TxBytes = 20 },
                ["eth1"] = new() { RxBytes = 1, TxBytes = 2 },
            },
        };

        var usage = StatsCalculator.Compute(stats);

        Assert.Equal(new ContainerResourceUsage(20.0, 250, 1_000, 25.0, 3, 11, 22), usage);
    }
}
