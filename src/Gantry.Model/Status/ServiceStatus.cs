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

    public IReadOnlyList<ReplicaStatus> Replicas { get; init; } = [];
}
