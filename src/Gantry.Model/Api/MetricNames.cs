namespace Gantry.Model.Api;

/// <summary>
/// The series the server keeps per app (`GET /api/v1/apps/{app}/metrics`), named once here so the server that writes them
/// and the CLI that reads them never drift. Per replica: the engine's figures; per service: the routers' figures.
/// </summary>
public static class MetricNames
{
    /// <summary>CPU use over the sampling interval as a fraction of the replica's CPU limit, or of one core without a limit.</summary>
    public const string Cpu = "cpu";

    /// <summary>Memory in use without reclaimable page cache, in bytes (what `docker stats` shows).</summary>
    public const string MemoryBytes = "memory_bytes";

    /// <summary><see cref="MemoryBytes"/> as a fraction of the replica's memory limit (of the host's memory without one).</summary>
    public const string Memory = "memory";

    /// <summary>Bytes received per interval (a counter: a point's value is the sum over its step).</summary>
    public const string NetworkRxBytes = "net_rx_bytes";

    /// <summary>Bytes sent per interval, a counter like <see cref="NetworkRxBytes"/>.</summary>
    public const string NetworkTxBytes = "net_tx_bytes";

    /// <summary>Restarts of the replica's slot, as `gantry ps` counts them (Gantry's and the engine's).</summary>
    public const string Restarts = "restarts";

    /// <summary>Requests the routers answered per interval with a 2xx status (a counter); per service.</summary>
    public const string Requests2xx = "requests_2xx";

    public const string Requests3xx = "requests_3xx";

    public const string Requests4xx = "requests_4xx";

    public const string Requests5xx = "requests_5xx";

    /// <summary>Median total time of the interval's requests in milliseconds, as the routers measured it; per service.</summary>
    public const string LatencyP50 = "latency_p50_ms";

    public const string LatencyP95 = "latency_p95_ms";

    public const string LatencyP99 = "latency_p99_ms";

    /// <summary>Requests running on the service's replicas now, summed over the routers that report; per service.</summary>
    public const string InFlight = "in_flight";

    /// <summary>CPU the replicas on a node use, in cores (each replica's CPU times its limit); per node of a cluster.</summary>
    public const string NodeCpuCores = "node_cpu_cores";

    /// <summary>Memory the replicas on a node use, in bytes; per node of a cluster.</summary>
    public const string NodeMemoryBytes = "node_memory_bytes";

    /// <summary>Replicas running on a node; per node of a cluster.</summary>
    public const string NodeReplicas = "node_replicas";

    /// <summary>Series kinds as the API names them.</summary>
    public const string Gauge = "gauge";

    public const string Counter = "counter";
}
