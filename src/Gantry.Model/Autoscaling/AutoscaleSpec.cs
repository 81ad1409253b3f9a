namespace Gantry.Model.Autoscaling;

/// <summary>
/// A service's autoscaling policy, resolved from `x-gantry: autoscale` when the compose files are loaded. Targets are
/// per replica, so the autoscaler can size the service by the ratio of what it observes to what is wanted. Not part of
/// the spec hash: how many replicas run, and when, is not a property of any one container.
/// </summary>
public sealed record AutoscaleSpec
{
    public static readonly TimeSpan DefaultScaleInDelay = TimeSpan.FromMinutes(5);

    /// <summary>The fewest replicas; 0 lets an idle service scale to zero (then <see cref="Idle"/> is set).</summary>
    public int Min { get; init; } = 1;

    /// <summary>The most replicas, whatever the targets or the schedule say.</summary>
    public required int Max { get; init; }

    /// <summary>Average CPU use wanted, as a fraction (0.7 for 70%) of each replica's CPU limit.</summary>
    public double? Cpu { get; init; }

    /// <summary>Average memory use wanted, as a fraction of each replica's memory limit.</summary>
    public double? Memory { get; init; }

    /// <summary>Requests per second wanted per replica, as the routers count them.</summary>
    public double? RequestsPerSecond { get; init; }

    /// <summary>The 95th percentile latency through the router wanted for the service.</summary>
    public TimeSpan? P95 { get; init; }

    /// <summary>How long every target must have been below its value before a replica is removed (the flapping guard).</summary>
    public TimeSpan ScaleInDelay { get; init; } = DefaultScaleInDelay;

    /// <summary>With <see cref="Min"/> 0: how long without a request before the service scales to zero.</summary>
    public TimeSpan? Idle { get; init; }

    /// <summary>Floors by the clock, for load that is known in advance.</summary>
    public IReadOnlyList<AutoscaleFloor> Schedule { get; init; } = [];
}
