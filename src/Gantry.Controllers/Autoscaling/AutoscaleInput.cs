using Gantry.Model.Autoscaling;

namespace Gantry.Controllers.Autoscaling;

/// <summary>
/// Everything one autoscaling decision depends on, so <see cref="Autoscaler.Decide"/> is a function of it alone: the
/// policy, the count, the recent samples, the clock (with the zone the schedule's cron is read in), what the previous
/// decisions remember, and the room the resource guard has left.
/// </summary>
public sealed record AutoscaleInput
{
    public required AutoscaleSpec Spec { get; init; }

    /// <summary>The count the autoscaler last set (the service's desired replicas), not how many are running yet.</summary>
    public required int Current { get; init; }

    /// <summary>Recent samples of each replica's CPU and memory use (the caller chooses the window, e.g. the last minute).</summary>
    public IReadOnlyList<ReplicaUsage> Usage { get; init; } = [];

    /// <summary>Recent samples of the service's traffic from the routers, over the same window.</summary>
    public IReadOnlyList<TrafficSample> Traffic { get; init; } = [];

    public required DateTimeOffset Now { get; init; }

    /// <summary>The zone the schedule's cron expressions are read in (the server's).</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    public AutoscaleHistory History { get; init; } = AutoscaleHistory.Empty;

    /// <summary>How many more replicas fit; null when the guard sets no bound.</summary>
    public PlacementCapacity? Capacity { get; init; }
}
