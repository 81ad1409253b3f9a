namespace Gantry.Model;

/// <summary>How replicas are replaced on a new release (deploy.update_config).</summary>
public sealed record UpdateConfigSpec
{
    public int Parallelism { get; init; } = 1;

    public TimeSpan? Delay { get; init; }

    /// <summary>"continue", "rollback" or "pause".</summary>
    public string FailureAction { get; init; } = "pause";

    public TimeSpan? Monitor { get; init; }

    public double? MaxFailureRatio { get; init; }

    /// <summary>"stop-first" or "start-first".</summary>
    public string Order { get; init; } = "stop-first";
}
