using Gantry.Model.Api;
using Gantry.Server.Metrics;

namespace Gantry.Server.Tests.Metrics;

public sealed class NodeMetricsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_SumsEachNodesReplicas_CpuOfThoseReadTwice()
    {
        NodeMetrics.ReplicaRead[] reads =
        [
            new("node1", 0.5, 100),
            new("node2", 0.25, 40),
            new("node1", null, 60), // read once so far: memory is known, CPU is not yet
        ];

        var samples = NodeMetrics.From(reads).ToDictionary(s => (s.Key.Service, s.Key.Metric), s => s.Value);

        Assert.Equal(0.5, samples[("node1", MetricNames.NodeCpuCores)]);
        Assert.Equal(160, samples[("node1", MetricNames.NodeMemoryBytes)]);
        Assert.Equal(2, samples[("node1", MetricNames.NodeReplicas)]);
        Assert.Equal(40, samples[("node2", MetricNames.NodeMemoryBytes)]);
        Assert.All(NodeMetrics.From(reads), s => Assert.Equal(NodeMetrics.App, s.Key.App));
    }

    [Fact]
    public void From_NoNodes_NoSeries() => Assert.Empty(NodeMetrics.From([]));

    [Fact]
    public void Points_NodeSeriesGoToTheNodeFamilies_ByNode()
    {
        (SeriesKey, CurrentValue)[] current =
        [
            (NodeMetrics.Key("node2", MetricNames.NodeMemoryBytes), new CurrentValue(MetricKind.Gauge, 4096, At)),
            (NodeMetrics.Key("node2", MetricNames.NodeCpuCores), new CurrentValue(MetricKind.Gauge, 0.75, At)),
        ];

        var points = ExportedMetrics.Points(current, [], 0);

        Assert.Contains(points, p => p.Family == ExportedMetrics.NodeMemory && p.LabelValues.SequenceEqual(["node2"]) && p.Value == 4096);
        Assert.Contains(points, p => p.Family == ExportedMetrics.NodeCpu && p.LabelValues.SequenceEqual(["node2"]) && p.Value == 0.75);
    }
}
