using Gantry.Model.Api;

namespace Gantry.Server.Metrics;

public enum ExportedKind
{
    Gauge,
    /// <summary>A running total; Prometheus' name ends in <c>_total</c>, OTLP's does not (<see cref="ExportedFamily.OtlpName"/>).</summary>
    Counter,
}

/// <summary>One metric family as the exporters name it: its name, help, kind and label names.</summary>
public sealed record ExportedFamily(string Name, string Help, ExportedKind Kind, IReadOnlyList<string> Labels)
{
    /// <summary>The name in OTLP, where a counter is a monotonic sum and carries no <c>_total</c> suffix.</summary>
    public string OtlpName => Kind == ExportedKind.Counter && Name.EndsWith("_total", StringComparison.Ordinal) ? Name[..^"_total".Length] : Name;
}

/// <summary>One value of a family, with its label values in the family's order.</summary>
public readonly record struct ExportedPoint(ExportedFamily Family, string[] LabelValues, double Value);

/// <summary>
/// What the server exports, once for both exporters (Prometheus' `GET /metrics` and the OTLP push): the families, and the
/// mapping from the metrics history's current values to their points. Pure.
/// </summary>
public static class ExportedMetrics
{
    private static readonly string[] ReplicaLabels = ["app", "service", "replica"];
    private static readonly string[] ServiceLabels = ["app", "service"];

    public static readonly ExportedFamily ReplicaCpu = new("gantry_replica_cpu_ratio", "CPU use over the last sampling interval as a fraction of the replica's CPU limit (of one core without a limit).", ExportedKind.Gauge, ReplicaLabels);
    public static readonly ExportedFamily ReplicaMemoryBytes = new("gantry_replica_memory_bytes", "Memory in use without reclaimable page cache, as docker stats shows it.", ExportedKind.Gauge, ReplicaLabels);
    public static readonly ExportedFamily ReplicaMemory = new("gantry_replica_memory_ratio", "Memory in use as a fraction of the replica's memory limit.", ExportedKind.Gauge, ReplicaLabels);
    public static readonly ExportedFamily ReplicaRestarts = new("gantry_replica_restarts", "Restarts of the replica's slot, as gantry ps counts them.", ExportedKind.Gauge, ReplicaLabels);
    public static readonly ExportedFamily ReplicaReceived = new("gantry_replica_network_receive_bytes_total", "Bytes the replica received since the server started sampling it.", ExportedKind.Counter, ReplicaLabels);
    public static readonly ExportedFamily ReplicaSent = new("gantry_replica_network_transmit_bytes_total", "Bytes the replica sent since the server started sampling it.", ExportedKind.Counter, ReplicaLabels);
    public static readonly ExportedFamily ServiceRequests = new("gantry_service_requests_total", "Requests the routers answered for the service, by status class.", ExportedKind.Counter, ["app", "service", "code"]);
    public static readonly ExportedFamily ServiceLatency = new("gantry_service_latency_seconds", "Latency through the router over the last sampling interval, by quantile.", ExportedKind.Gauge, ["app", "service", "quantile"]);
    public static readonly ExportedFamily ServiceInFlight = new("gantry_service_requests_in_flight", "Requests running on the service's replicas, summed over the routers.", ExportedKind.Gauge, ServiceLabels);
    public static readonly ExportedFamily AlertsFiring = new("gantry_alerts_firing", "Alerts firing now, by rule and severity.", ExportedKind.Gauge, ["rule", "severity"]);
    public static readonly ExportedFamily NodeCpu = new("gantry_node_cpu_cores", "CPU Gantry's replicas on the cluster node use, in cores.", ExportedKind.Gauge, ["node"]);
    public static readonly ExportedFamily NodeMemory = new("gantry_node_memory_bytes", "Memory Gantry's replicas on the cluster node use.", ExportedKind.Gauge, ["node"]);
    public static readonly ExportedFamily NodeReplicas = new("gantry_node_replicas", "Gantry's replicas running on the cluster node.", ExportedKind.Gauge, ["node"]);
    public static readonly ExportedFamily Apps = new("gantry_apps", "Apps deployed.", ExportedKind.Gauge, []);

    public static readonly IReadOnlyList<ExportedFamily> All =
        [ReplicaCpu, ReplicaMemoryBytes, ReplicaMemory, ReplicaRestarts, ReplicaReceived, ReplicaSent, ServiceRequests, ServiceLatency, ServiceInFlight, NodeCpu, NodeMemory, NodeReplicas, AlertsFiring, Apps];

    /// <summary>Every point of every family now: the current value of each kept series, the firing alerts, the app count.</summary>
    public static List<ExportedPoint> Points(IEnumerable<(SeriesKey Key, CurrentValue Value)> current, IEnumerable<AlertView> alerts, int apps)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(alerts);
        var points = new List<ExportedPoint>();
        foreach (var (key, value) in current)
        {
            string[] replica = [key.App, key.Service, key.Replica];
            ExportedPoint? point = key.Metric switch
            {
                MetricNames.NodeCpuCores when key.App == NodeMetrics.App => new(NodeCpu, [key.Service], value.Value),
                MetricNames.NodeMemoryBytes when key.App == NodeMetrics.App => new(NodeMemory, [key.Service], value.Value),
                MetricNames.NodeReplicas when key.App == NodeMetrics.App => new(NodeReplicas, [key.Service], value.Value),
                MetricNames.Cpu => new(ReplicaCpu, replica, value.Value),
                MetricNames.MemoryBytes => new(ReplicaMemoryBytes, replica, value.Value),
                MetricNames.Memory => new(ReplicaMemory, replica, value.Value),
                MetricNames.Restarts => new(ReplicaRestarts, replica, value.Value),
                MetricNames.NetworkRxBytes => new(ReplicaReceived, replica, value.Value),
                MetricNames.NetworkTxBytes => new(ReplicaSent, replica, value.Value),
                MetricNames.Requests2xx => new(ServiceRequests, [key.App, key.Service, "2xx"], value.Value),
                MetricNames.Requests3xx => new(ServiceRequests, [key.App, key.Service, "3xx"], value.Value),
                MetricNames.Requests4xx => new(ServiceRequests, [key.App, key.Service, "4xx"], value.Value),
                MetricNames.Requests5xx => new(ServiceRequests, [key.App, key.Service, "5xx"], value.Value),
                MetricNames.LatencyP50 => new(ServiceLatency, [key.App, key.Service, "0.5"], value.Value / 1000),
                MetricNames.LatencyP95 => new(ServiceLatency, [key.App, key.Service, "0.95"], value.Value / 1000),
                MetricNames.LatencyP99 => new(ServiceLatency, [key.App, key.Service, "0.99"], value.Value / 1000),
                MetricNames.InFlight => new(ServiceInFlight, [key.App, key.Service], value.Value),
                _ => null,
            };
            if (point is { } p)
            {
                points.Add(p);
            }
        }
        foreach (var group in alerts.Where(a => a.State == "firing").GroupBy(a => (a.Rule, a.Severity)))
        {
            points.Add(new ExportedPoint(AlertsFiring, [group.Key.Rule, group.Key.Severity], group.Count()));
        }
        points.Add(new ExportedPoint(Apps, [], apps));
        return points;
    }
}
