using Gantry.Controllers.Engine;
using Gantry.Model.Status;

namespace Gantry.Controllers.Planning;

/// <summary>
/// The planner's answer, Nomad-style buckets: what to remove, create and start this pass, what waits
/// and why, and the status the app will have once the plan is applied.
/// </summary>
public sealed record AppPlan
{
    public IReadOnlyList<PlannedRemoval> Remove { get; init; } = [];

    public IReadOnlyList<ContainerPlan> Create { get; init; } = [];

    /// <summary>Existing containers to start again (Gantry's restart with backoff).</summary>
    public IReadOnlyList<PlannedStart> Start { get; init; } = [];

    /// <summary>Services that cannot progress yet, with the reason (dependency, backoff).</summary>
    public IReadOnlyList<PlanWait> Waiting { get; init; } = [];

    public required AppStatus Status { get; init; }

    /// <summary>True when nothing needs doing: the engine matches the desired state.</summary>
    public bool IsConverged => Remove.Count == 0 && Create.Count == 0 && Start.Count == 0 && Waiting.Count == 0;

    /// <summary>The earliest time a waiting replica becomes due (backoff), so the controller can requeue exactly then.</summary>
    public DateTimeOffset? NextWakeAt { get; init; }

    /// <summary>Traffic moves and drains this plan makes, in words, for the app's events.</summary>
    public IReadOnlyList<PlanNote> Notes { get; init; } = [];
}

/// <summary>A container to remove and why (orphan, scaled in, outdated, duplicate).</summary>
public sealed record PlannedRemoval(ObservedContainer Container, RemovalKind Kind, string Reason);

/// <summary>Why the planner removes a container (Nomad names its stop reasons the same way); the prose is in <see cref="PlannedRemoval.Reason"/>.</summary>
public enum RemovalKind
{
    /// <summary>Gantry created it for a service (or app) that no longer exists.</summary>
    Orphan,
    /// <summary>Its slot is above the service's replica count.</summary>
    ScaledIn,
    /// <summary>A newer spec replaces it.</summary>
    Replaced,
    /// <summary>A second container for the same slot and spec.</summary>
    Duplicate,
    /// <summary>It was kept warm for a rollback and the window ended.</summary>
    WarmExpired,
}

/// <summary>A stopped container to start again, with the restart number it will be.</summary>
public sealed record PlannedStart(ObservedContainer Container, int Restarts);

/// <summary>A service that waits, and for what.</summary>
public sealed record PlanWait(string Service, string Reason);
