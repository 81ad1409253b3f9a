namespace Gantry.Model.Releases;

/// <summary>How a service moves from one release to the next.</summary>
public enum ReleaseStrategy
{
    /// <summary>Replace replicas slot by slot (compose `deploy.update_config`: parallelism, start-first or stop-first).</summary>
    Rolling,
    /// <summary>Start the whole new set, wait until every replica is healthy, swap the routes at once, drain the old set and keep it warm.</summary>
    BlueGreen,
    /// <summary>Stop every old replica before the first new one starts (single-writer volumes): the downtime is announced.</summary>
    Recreate,
}

/// <summary>
/// A service's release settings, resolved at deploy time from `x-gantry` and `deploy.update_config`
/// (blue-green is the default for routed services, rolling for the rest). Not part of the spec hash:
/// changing how a service is released does not replace its replicas.
/// </summary>
public sealed record ReleasePolicy
{
    public static readonly TimeSpan DefaultWarmFor = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultProgressDeadline = TimeSpan.FromMinutes(5);

    public ReleaseStrategy Strategy { get; init; } = ReleaseStrategy.Rolling;

    /// <summary>The router sends it traffic (it has x-gantry routes): replicas leave the route table before they stop.</summary>
    public bool Routed { get; init; }

    /// <summary>How long the previous release's replicas stay running after a blue-green swap, for an instant rollback.</summary>
    public TimeSpan WarmFor { get; init; } = DefaultWarmFor;

    /// <summary>The longest a replica that left the route table waits for its in-flight requests before it is stopped anyway.</summary>
    public TimeSpan DrainTimeout { get; init; } = DefaultDrainTimeout;

    /// <summary>A new release whose replicas are not all ready within this time has failed (and is rolled back).</summary>
    public TimeSpan ProgressDeadline { get; init; } = DefaultProgressDeadline;

    /// <summary>Traffic analysis after go-live; null turns automatic rollback off.</summary>
    public AutoRollbackPolicy? AutoRollback { get; init; } = new();

    /// <summary>Canary steps in percent of traffic (for example 10, 50); empty for a direct swap. 100 is implied last.</summary>
    public IReadOnlyList<int> CanarySteps { get; init; } = [];
}

/// <summary>When a live release is judged worse than the one before it.</summary>
public sealed record AutoRollbackPolicy
{
    /// <summary>How long after go-live (or after each canary step) the new release is watched.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Rolls back when the new release's 5xx rate exceeds the previous release's by more than this (0.05 = 5 points).</summary>
    public double MaxErrorRateIncrease { get; init; } = 0.05;

    /// <summary>Rolls back when the new release's p95 latency is more than this many times the previous release's (and 50 ms slower).</summary>
    public double MaxLatencyRatio { get; init; } = 2.0;

    /// <summary>Fewer requests than this to the new release decide nothing.</summary>
    public int MinRequests { get; init; } = 20;
}
