using Gantry.Docker.Containers;

namespace Gantry.Docker.Tests.Containers;

public sealed class ContainerStatsTests
{
    private const long MemoryLimit = 48L * 1024 * 1024;

    [Fact]
    public async Task StatsAsync_BusyContainer_ComputesCpuAndMemoryWithinLimit()
    {
        await using var scope = new DockerTestScope("stats");
        var id = await scope.RunShellAsync("busy", "while true; do :; done",
            new HostConfig { Memory = MemoryLimit, NanoCpus = 500_000_000 });

        var stats = await scope.Client.Containers.StatsAsync(id);
        var usage = StatsCalculator.Compute(stats);

        Assert.Equal("/" + scope.Name("busy"), stats.Name);
        Assert.True(stats.PreCpuStats.SystemCpuUsage > 0, "one-shot stats carry the previous sample");
        Assert.InRange(usage.CpuPercent, 1, 100);
        Assert.Equal((ulong)MemoryLimit, usage.MemoryLimitBytes);
        Assert.InRange(usage.MemoryUsageBytes, 1UL, (ulong)MemoryLimit);
        Assert.True(usage.MemoryUsageBytes <= stats.MemoryStats.Usage);
        Assert.True(usage.Pids >= 1);
    }

    [Fact]
    public async Task SnapshotStatsAsync_BusyContainer_CountersGrowBetweenReads()
    {
        await using var scope = new DockerTestScope("stats");
        var id = await scope.RunShellAsync("snapshot", "while true; do :; done",
            new HostConfig { Memory = MemoryLimit, NanoCpus = 500_000_000 });

        var first = await scope.Client.Containers.SnapshotStatsAsync(id);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var second = await scope.Client.Containers.SnapshotStatsAsync(id);

        Assert.True(second.Read > first.Read);
        Assert.True(second.CpuStats.CpuUsage.TotalUsage > first.CpuStats.CpuUsage.TotalUsage, "a busy loop uses CPU between two reads");
        Assert.Equal((ulong)MemoryLimit, second.MemoryStats.Limit);
        Assert.InRange(StatsCalculator.MemoryUsageWithoutCache(second.MemoryStats), 1UL, (ulong)MemoryLimit);
    }

    [Fact]
    public async Task StreamStatsAsync_RunningContainer_YieldsSuccessiveSamples()
    {
        await using var scope = new DockerTestScope("stats");
        var id = await scope.RunShellAsync("stream", "exec sleep 300", new HostConfig { Memory = MemoryLimit });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var samples = new List<ContainerStats>();
        await foreach (var sample in scope.Client.Containers.StreamStatsAsync(id, cts.Token))
        {
            samples.Add(sample);
            if (samples.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(3, samples.Count);
        Assert.True(samples[2].Read > samples[1].Read);
        Assert.Equal(samples[1].Read, samples[2].PreRead);
        Assert.All(samples, s => Assert.Equal((ulong)MemoryLimit, s.MemoryStats.Limit));
    }
}
