namespace Gantry.Controllers.Autoscaling;

/// <summary>Why the autoscaler chose its count: a value to branch on; the prose with the numbers is in <see cref="AutoscaleDecision.Message"/>.</summary>
public enum AutoscaleReason
{
    /// <summary>Every measured target is at or below its value, and not below long enough (or far enough) to remove one.</summary>
    WithinTargets,
    /// <summary>A target is above its value: more replicas.</summary>
    AboveTarget,
    /// <summary>Every target has been below its value for the whole scale-in delay: fewer replicas.</summary>
    BelowTargets,
    /// <summary>Below every target, but a higher need within the scale-in delay holds the count.</summary>
    Stabilising,
    /// <summary>A target has no samples yet (new replicas, no router data): nothing is removed on a guess.</summary>
    MissingData,
    /// <summary>The count changed less than <see cref="Autoscaler.Settle"/> ago: samples wait for the new replicas.</summary>
    Settling,
    /// <summary>A target is above its value and the service already runs its max.</summary>
    AtMax,
    /// <summary>The count was below min: raised to it.</summary>
    Minimum,
    /// <summary>A schedule entry's floor holds: raised to it (or kept from going below).</summary>
    ScheduleFloor,
    /// <summary>The count was above max: lowered to it.</summary>
    Maximum,
    /// <summary>No request for the idle time with min 0: scaled to zero, or kept there.</summary>
    Idle,
    /// <summary>A request arrived while the service ran no replica: one is started.</summary>
    Wake,
}
