using Gantry.Model.Api;

namespace Gantry.Server.Metrics;

/// <summary>
/// Per node of a cluster (issue 14): what Gantry's replicas on it use, summed from each replica's newest read, without I/O.
/// Kept as series of their own under <see cref="App"/> (no app has an empty name), with the node in the service's place, so
/// the history, its downsampling and its byte budget are the apps' own. A single engine has no nodes and no such series.
/// </summary>
public static class NodeMetrics
{
    /// <summary>The series' app: empty, which no app's name can be.</summary>
    public const string App = "";

    /// <summary>One replica's newest read: the node it runs on, its CPU in cores and its memory in bytes.</summary>
    public readonly record struct ReplicaRead(string Node, double? CpuCores, double MemoryBytes);

    public static SeriesKey Key(string node, string metric) => new(App, node, "", metric);

    /// <summary>Each node's sums: CPU cores (of the replicas whose CPU is known yet), memory bytes and replicas.</summary>
    public static IEnumerable<MetricSample> From(IEnumerable<ReplicaRead> replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        foreach (var node in replicas.GroupBy(r => r.Node, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            yield return new(Key(node.Key, MetricNames.NodeCpuCores), MetricKind.Gauge, node.Sum(r => r.CpuCores ?? 0));
            yield return new(Key(node.Key, MetricNames.NodeMemoryBytes), MetricKind.Gauge, node.Sum(r => r.MemoryBytes));
            yield return new(Key(node.Key, MetricNames.NodeReplicas), MetricKind.Gauge, node.Count());
        }
    }
}
