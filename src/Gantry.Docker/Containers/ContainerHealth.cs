namespace Gantry.Docker.Containers;

/// <summary>Health check state: <c>starting</c>, <c>healthy</c> or <c>unhealthy</c>, with the last results.</summary>
public sealed record ContainerHealth
{
    /// <summary><c>starting</c>, <c>healthy</c>, <c>unhealthy</c> or <c>none</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>Consecutive failed checks.</summary>
    public int FailingStreak { get; init; }

    /// <summary>The last (up to five) check results.</summary>
    public IReadOnlyList<HealthCheckResult> Log { get; init; } = [];
}
