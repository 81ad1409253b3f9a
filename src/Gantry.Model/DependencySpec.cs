namespace Gantry.Model;

/// <summary>One depends_on edge: this service starts after <see cref="Service"/> reaches <see cref="Condition"/>.</summary>
public sealed record DependencySpec(string Service, DependencyCondition Condition = DependencyCondition.Started)
{
    /// <summary>When false, a missing or disabled dependency is tolerated (compose's `required: false`).</summary>
    public bool Required { get; init; } = true;

    /// <summary>Restart this service when the dependency is updated (compose's `restart: true`).</summary>
    public bool Restart { get; init; }
}

public enum DependencyCondition
{
    /// <summary>service_started</summary>
    Started,
    /// <summary>service_healthy</summary>
    Healthy,
    /// <summary>service_completed_successfully</summary>
    CompletedSuccessfully,
}
