namespace Gantry.Model;

/// <summary>When a replica that exited is started again. Gantry's controllers do the restarting (with backoff), not the engine.</summary>
public sealed record RestartPolicySpec
{
    public RestartCondition Condition { get; init; } = RestartCondition.Any;

    /// <summary>Give up after this many restarts inside <see cref="Window"/>; null never gives up.</summary>
    public int? MaxAttempts { get; init; }

    public TimeSpan? Delay { get; init; }

    public TimeSpan? Window { get; init; }
}

public enum RestartCondition
{
    /// <summary>never restart (compose `restart: no`, deploy condition `none`).</summary>
    None,
    /// <summary>restart only after a non-zero exit.</summary>
    OnFailure,
    /// <summary>always restart (compose `always` and `unless-stopped`, deploy condition `any`).</summary>
    Any,
}
