using Gantry.Model.Status;

namespace Gantry.Model.Api;

/// <summary>One row of `GET /api/v1/apps`.</summary>
public sealed record AppSummary(string Name, string Environment, AppPhase Phase)
{
    public string? Message { get; init; }

    /// <summary>The team the app belongs to.</summary>
    public string Team { get; init; } = AppSpec.DefaultTeam;

    public long Generation { get; init; }

    /// <summary>The number of the release the app's desired state is (its latest deploy, scale or rollback).</summary>
    public long Release { get; init; }

    public long ObservedGeneration { get; init; }

    public int Services { get; init; }

    public int ReplicasDesired { get; init; }

    public int ReplicasRunning { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
