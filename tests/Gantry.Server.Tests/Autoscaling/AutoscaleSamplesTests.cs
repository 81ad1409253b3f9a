using Gantry.Controllers.Autoscaling;
using Gantry.Model.Api;
using Gantry.Server.Autoscaling;
using Gantry.Server.Metrics;

namespace Gantry.Server.Tests.Autoscaling;

public class AutoscaleSamplesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    private static MetricSeriesPoints Series(string replica, string metric, MetricKind kind, params (int Slot, double Value)[] points) =>
        new(new SeriesKey("shop", "web", replica, metric), kind,
            points.Select(p => new MetricPoint(T0.AddSeconds(10 * p.Slot), p.Value, p.Value, p.Value, p.Value, p.Value, 1)).ToList());

    [Fact]
    public void From_ReplicaSeries_OneUsagePerReplicaAndSlot()
    {
        var (usage, traffic) = AutoscaleSamples.From(
        [
            Series("shop-web-1", MetricNames.Cpu, MetricKind.Gauge, (0, 0.5), (1, 0.7)),
            Series("shop-web-1", MetricNames.Memory, MetricKind.Gauge, (0, 0.2), (1, 0.25)),
            Series("shop-web-1", MetricNames.MemoryBytes, MetricKind.Gauge, (0, 1e6)),
            Series("shop-web-2", MetricNames.Memory, MetricKind.Gauge, (1, 0.3)),
        ], Step);

        Assert.Empty(traffic);
        Assert.Equal(
        [
            new ReplicaUsage(T0, "shop-web-1", 0.5, 0.2),
            new ReplicaUsage(T0.AddSeconds(10), "shop-web-1", 0.7, 0.25),
            new ReplicaUsage(T0.AddSeconds(10), "shop-web-2", null, 0.3),
        ], usage);
    }

    [Fact]
    public void From_ServiceSeries_RequestsPerSecondOverEveryStatusClassWithTheirP95()
    {
        var (usage, traffic) = AutoscaleSamples.From(
        [
            Series("", MetricNames.Requests2xx, MetricKind.Counter, (0, 90), (1, 0)),
            Series("", MetricNames.Requests5xx, MetricKind.Counter, (0, 10), (1, 0)),
            Series("", MetricNames.LatencyP95, MetricKind.Gauge, (0, 250)),
            Series("", MetricNames.InFlight, MetricKind.Gauge, (0, 3)),
        ], Step);

        Assert.Empty(usage);
        Assert.Equal([new TrafficSample(T0, 10, TimeSpan.FromMilliseconds(250)), new TrafficSample(T0.AddSeconds(10), 0, null)], traffic);
    }
}
