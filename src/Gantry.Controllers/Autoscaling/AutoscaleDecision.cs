namespace Gantry.Controllers.Autoscaling;

/// <summary>
/// What the autoscaler decided for one service and why. <see cref="Desired"/> is what to run now; when the resource
/// guard stopped a scale-out, <see cref="Wanted"/> says how many the targets asked for and <see cref="LimitedBy"/> which
/// resource ran out. <see cref="History"/> is the memory to pass to the next decision.
/// </summary>
public sealed record AutoscaleDecision(int Desired, AutoscaleReason Reason, string Message, AutoscaleHistory History)
{
    /// <summary>The count the targets asked for before the guard; equal to <see cref="Desired"/> unless <see cref="LimitedBy"/> is set.</summary>
    public int Wanted { get; init; } = Desired;

    /// <summary>The resource the guard ran out of when it placed fewer than <see cref="Wanted"/>; null when nothing was held back.</summary>
    public string? LimitedBy { get; init; }

    /// <summary>The targets as this decision observed them; empty when it did not look at them (at zero, idle).</summary>
    public IReadOnlyList<AutoscaleReading> Readings { get; init; } = [];
}
