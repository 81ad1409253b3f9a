namespace Gantry.Model.Alerts;

/// <summary>
/// A rule of the user's on one of a service's kept metrics (x-gantry's `alerts`): it fires when the metric stays above
/// (or below) the threshold for <see cref="For"/>, and resolves when it no longer does. The threshold is in the metric's
/// own unit (<see cref="AlertMetrics"/>): a fraction for shares, bytes, seconds for latencies, a plain number otherwise.
/// </summary>
public sealed record AlertRuleSpec
{
    /// <summary>Unique within the service; what notifications and `gantry alerts` call it (e.g. "memory-above-80%").</summary>
    public required string Name { get; init; }

    /// <summary>One of <see cref="AlertMetrics.Names"/>.</summary>
    public required string Metric { get; init; }

    /// <summary>True for `above:`, false for `below:`.</summary>
    public required bool Above { get; init; }

    public required double Threshold { get; init; }

    /// <summary>The threshold as the file wrote it ("80%", "300ms"), for messages.</summary>
    public required string ThresholdText { get; init; }

    /// <summary>How long the condition must hold before the alert fires.</summary>
    public TimeSpan For { get; init; }

    /// <summary>"warning" or "critical".</summary>
    public string Severity { get; init; } = "warning";
}
