using Gantry.Model.Api;

namespace Gantry.Model.Alerts;

/// <summary>How a metric's threshold is written and read.</summary>
public enum AlertValueKind
{
    /// <summary>A percentage ("80%"), kept as a fraction.</summary>
    Share,

    /// <summary>A size ("512M"), kept in bytes.</summary>
    Bytes,

    /// <summary>A duration ("300ms"), kept in seconds.</summary>
    Duration,

    /// <summary>A plain non-negative number.</summary>
    Number,
}

/// <summary>One metric a user rule may watch: how its threshold is written, whether it is read per replica (the worst
/// replica counts) or per service (from the routers), and what it means.</summary>
public sealed record AlertMetric(string Name, AlertValueKind Kind, bool PerReplica, string Meaning);

/// <summary>The metrics user rules may watch: the kept metrics (<see cref="MetricNames"/>) under the names a rule uses.</summary>
public static class AlertMetrics
{
    public static readonly IReadOnlyList<AlertMetric> All =
    [
        new("cpu", AlertValueKind.Share, true, "CPU use as a share of the replica's CPU limit (of one core without one)"),
        new("memory", AlertValueKind.Share, true, "memory use as a share of the replica's memory limit"),
        new("memory_bytes", AlertValueKind.Bytes, true, "memory in use"),
        new("restarts", AlertValueKind.Number, true, "restarts of a replica"),
        new("rps", AlertValueKind.Number, false, "requests per second through the routers"),
        new("error_rate", AlertValueKind.Share, false, "the share of requests answered 5xx"),
        new("p50", AlertValueKind.Duration, false, "median latency through the routers"),
        new("p95", AlertValueKind.Duration, false, "95th percentile latency through the routers"),
        new("p99", AlertValueKind.Duration, false, "99th percentile latency through the routers"),
        new("in_flight", AlertValueKind.Number, false, "requests in flight on the service's replicas"),
    ];

    public static IEnumerable<string> Names => All.Select(m => m.Name);

    public static AlertMetric? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}
