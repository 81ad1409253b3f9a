namespace Gantry.Bench.DeployUnderLoad;

/// <summary>Which scenario step a <see cref="StepRecord"/> describes.</summary>
public enum StepKind
{
    Deploy,
    Rollback,
    Scale,
    ServerRestart,
}

/// <summary>
/// One scenario step as it happened: whether the CLI succeeded, how long it took, and (deploys and
/// rollbacks) seconds from invoking it until every request carried the expected version.
/// </summary>
public sealed record StepRecord(StepKind Kind, string Label, bool Succeeded, double Seconds)
{
    /// <summary>The version all traffic should carry after the step (deploys and rollbacks).</summary>
    public string? ExpectedVersion { get; init; }

    /// <summary>Seconds from invoking the step until all traffic carried <see cref="ExpectedVersion"/>; null when it never did.</summary>
    public double? SwitchSeconds { get; init; }

    /// <summary>The step could not run (e.g. the CLI lacks the verb); not a failure, but reported.</summary>
    public bool Skipped { get; init; }

    public string? Note { get; init; }

    /// <summary>A step that counts against the bench: the CLI failed, or traffic never moved to the expected version.</summary>
    public bool Problem => !Skipped && (!Succeeded || (ExpectedVersion is not null && SwitchSeconds is null));
}
