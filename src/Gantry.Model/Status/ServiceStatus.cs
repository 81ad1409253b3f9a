namespace Gantry.Model.Status;

/// <summary>Observed state of one service of an app.</summary>
public sealed record ServiceStatus(string Name)
{
    /// <summary>Image reference as written in the spec.</summary>
    public string? Image { get; init; }

    /// <summary>Resolved image id (sha256:...) the current replicas run.</summary>
    public string? ImageId { get; init; }

    public int Desired { get; init; }

    public int Running { get; init; }

    public int Healthy { get; init; }

    public string? SpecHash { get; init; }

    /// <summary>For routed services: the spec hash whose replicas the router serves (the live release).</summary>
    public string? LiveSpecHash { get; init; }

    /// <summary>The release that is live (its number), when known.</summary>
    public long? LiveRelease { get; init; }

    /// <summary>The previous release's replicas, kept warm after a blue-green swap.</summary>
    public WarmSet? Warm { get; init; }

    public RolloutStatus? Rollout { get; init; }

    public IReadOnlyList<ReplicaStatus> Replicas { get; init; } = [];
}
