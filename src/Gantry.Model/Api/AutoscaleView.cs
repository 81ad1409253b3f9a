namespace Gantry.Model.Api;

/// <summary>`GET /api/v1/apps/{app}/autoscale`: each autoscaled service's policy, the values its targets see, and what the autoscaler decided.</summary>
public sealed record AutoscaleView(string App, IReadOnlyList<AutoscaleServiceView> Services);

/// <summary>One autoscaled service.</summary>
/// <param name="Replicas">The count the autoscaler (or the last scale or deploy) set.</param>
/// <param name="Targets">Each target the policy sets, with its value at the last decision (null before one could be measured).</param>
/// <param name="Last">The newest decision, made at the last sampler pass; null before the first.</param>
/// <param name="Decisions">Recent decisions that changed the count or the reason, newest first.</param>
public sealed record AutoscaleServiceView(
    string Service,
    int Min,
    int Max,
    int Replicas,
    IReadOnlyList<AutoscaleTargetView> Targets,
    AutoscaleDecisionView? Last,
    IReadOnlyList<AutoscaleDecisionView> Decisions)
{
    /// <summary>The policy's scale-in delay, e.g. "5m".</summary>
    public string? ScaleInDelay { get; init; }

    /// <summary>With min 0: how long without a request before the service scales to zero.</summary>
    public string? Idle { get; init; }

    /// <summary>The schedule's floors as written ("0 19 * * 5: min 8 for 4h").</summary>
    public IReadOnlyList<string> Schedule { get; init; } = [];
}

/// <summary>A target: its name as x-gantry spells it (cpu, memory, rps, p95), the value wanted and the value seen, both as shown ("70%", "300ms").</summary>
public sealed record AutoscaleTargetView(string Name, string Target, string? Current);

/// <summary>One decision: when, the count before and after, what the targets asked for, why (a reason to branch on and the message with the numbers).</summary>
public sealed record AutoscaleDecisionView(DateTimeOffset At, int From, int To, int Wanted, string Reason, string Message)
{
    /// <summary>What stopped a scale-out short of <see cref="Wanted"/> ("memory"), or null.</summary>
    public string? LimitedBy { get; init; }
}
