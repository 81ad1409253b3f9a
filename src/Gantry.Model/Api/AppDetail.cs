using Gantry.Model.Status;

namespace Gantry.Model.Api;

/// <summary>`GET /api/v1/apps/{app}`: the stored spec and the last observed status.</summary>
public sealed record AppDetail(string Name, string Environment, AppPhase Phase)
{
    public string? Message { get; init; }

    public long Generation { get; init; }

    public long ObservedGeneration { get; init; }

    public bool Deleting { get; init; }

    public required AppSpec Spec { get; init; }

    public required AppStatus Status { get; init; }
}
