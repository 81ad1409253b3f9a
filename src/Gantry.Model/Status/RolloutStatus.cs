namespace Gantry.Model.Status;

/// <summary>Where a service's move to the app's current release stands.</summary>
public sealed record RolloutStatus
{
    /// <summary>The release being rolled out (the app spec's release).</summary>
    public long Release { get; init; }

    /// <summary>staging, canary, live or failed.</summary>
    public string State { get; init; } = RolloutStates.Staging;

    /// <summary>When the release's first replica was planned (the progress deadline counts from here).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When traffic moved to it (blue-green swap, last canary step, or last rolling batch).</summary>
    public DateTimeOffset? LiveAt { get; init; }

    /// <summary>Current canary share in percent, while canarying.</summary>
    public int? CanaryPercent { get; init; }

    /// <summary>When the current canary step began.</summary>
    public DateTimeOffset? StepStartedAt { get; init; }

    public string? Message { get; init; }
}

public static class RolloutStates
{
    public const string Staging = "staging";
    public const string Canary = "canary";
    public const string Live = "live";
    public const string Failed = "failed";
}

/// <summary>The previous release's replicas kept running after a swap.</summary>
public sealed record WarmSet(string SpecHash, long Release, DateTimeOffset Until);
