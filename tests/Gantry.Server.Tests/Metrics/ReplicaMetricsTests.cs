using Gantry.Controllers.Engine;
using Gantry.Model.Api;
using Gantry.Model.Status;
using Gantry.Server.Metrics;

namespace Gantry.Server.Tests.Metrics;

public sealed class ReplicaMetricsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 12, 0, 5, TimeSpan.Zero);

    private static readonly ReplicaStatus Web = new("shop-web-1-abc", "web", 1) { ContainerId = "c1", State = "running", NanoCpus = 500_000_000, Restarts = 2 };

    private static ContainerUsage Read(DateTimeOffset at, ulong cpuNanoseconds, long memory = 8 << 20, long limit = 32 << 20, long rx = 0, long tx = 0) =>
        new(0, memory, limit) { ReadAt = at, CpuNanoseconds = cpuNanoseconds, NetworkRxBytes = rx, NetworkTxBytes = tx };

    private static Dictionary<string, MetricSample> ByName(IEnumerable<MetricSample> samples) => samples.ToDictionary(s => s.Key.Metric);

    [Fact]
    public void From_FirstRead_OnlyLevels()
    {
        var samples = ByName(ReplicaMetrics.From("shop", Web, Read(At, 1_000_000_000), previous: null));

        Assert.Equal([MetricNames.MemoryBytes, MetricNames.Memory, MetricNames.Restarts], samples.Keys);
        Assert.Equal(8 << 20, samples[MetricNames.MemoryBytes].Value);
        Assert.Equal(0.25, samples[MetricNames.Memory].Value);
        Assert.Equal(2, samples[MetricNames.Restarts].Value);
        Assert.All(samples.Values, s => Assert.Equal(new SeriesKey("shop", "web", "shop-web-1-abc", s.Key.Metric), s.Key));
        Assert.All(samples.Values, s => Assert.Equal(MetricKind.Gauge, s.Kind));
    }

    [Fact]
    public void From_TwoReads_CpuIsTheIntervalsAverageOverTheLimit()
    {
        // 1 s of CPU time in 10 s is 0.1 core; the limit is half a core.
        var samples = ByName(ReplicaMetrics.From("shop", Web, Read(At.AddSeconds(10), 3_000_000_000), Read(At, 2_000_000_000)));

        Assert.Equal(0.2, samples[MetricNames.Cpu].Value, precision: 9);
        Assert.Equal(MetricKind.Gauge, samples[MetricNames.Cpu].Kind);
    }

    [Fact]
    public void From_NoCpuLimit_FractionOfOneCore()
    {
        var unlimited = Web with { NanoCpus = null };

        var samples = ByName(ReplicaMetrics.From("shop", unlimited, Read(At.AddSeconds(10), 17_000_000_000), Read(At, 2_000_000_000)));

        Assert.Equal(1.5, samples[MetricNames.Cpu].Value, precision: 9);
    }

    [Fact]
    public void From_TwoReads_NetworkIsWhatTheCountersGrewAsCounters()
    {
        var samples = ByName(ReplicaMetrics.From("shop", Web, Read(At.AddSeconds(10), 0, rx: 5_000, tx: 1_200), Read(At, 0, rx: 1_000, tx: 200)));

        Assert.Equal(4_000, samples[MetricNames.NetworkRxBytes].Value);
        Assert.Equal(1_000, samples[MetricNames.NetworkTxBytes].Value);
        Assert.Equal(MetricKind.Counter, samples[MetricNames.NetworkRxBytes].Kind);
    }

    [Fact]
    public void From_CountersWentDown_NoCpuPointAndNetworkCountsFromZero()
    {
        var samples = ByName(ReplicaMetrics.From("shop", Web, Read(At.AddSeconds(10), 100, rx: 300), Read(At, 9_000_000_000, rx: 80_000)));

        Assert.DoesNotContain(MetricNames.Cpu, samples.Keys);
        Assert.Equal(300, samples[MetricNames.NetworkRxBytes].Value);
    }

    [Fact]
    public void From_PreviousReadNotOlder_OnlyLevels()
    {
        var samples = ByName(ReplicaMetrics.From("shop", Web, Read(At, 5_000_000_000), Read(At, 1_000_000_000)));

        Assert.DoesNotContain(MetricNames.Cpu, samples.Keys);
        Assert.DoesNotContain(MetricNames.NetworkRxBytes, samples.Keys);
    }

    [Fact]
    public void From_NoMemoryLimitReported_NoMemoryFraction()
    {
        var samples = ByName(ReplicaMetrics.From("shop", Web, Read(At, 0, limit: 0), previous: null));

        Assert.DoesNotContain(MetricNames.Memory, samples.Keys);
        Assert.Contains(MetricNames.MemoryBytes, samples.Keys);
    }

    [Theory]
    [InlineData(50_000_000, 0, true)]       // 0.005 core, no traffic
    [InlineData(200_000_000, 0, false)]     // 0.02 core
    [InlineData(0, 20_000, false)]          // 2 KB/s
    public void IsIdle_UnderBothThresholds(long cpuNanoseconds, long bytes, bool idle) =>
        Assert.Equal(idle, ReplicaMetrics.IsIdle(Read(At.AddSeconds(10), (ulong)cpuNanoseconds, rx: bytes), Read(At, 0)));

    [Fact]
    public void IsIdle_CountersWentDown_NotIdle() =>
        Assert.False(ReplicaMetrics.IsIdle(Read(At.AddSeconds(10), 0), Read(At, 5_000_000_000)));
}
