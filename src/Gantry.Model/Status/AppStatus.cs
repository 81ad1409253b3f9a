namespace Gantry.Model.Status;

/// <summary>What the app controller last observed of an app on the engine.</summary>
public sealed record AppStatus
{
    public AppPhase Phase { get; init; } = AppPhase.Pending;

    /// <summary>One human sentence on why the app is in its phase (the refusal reason, the failing replica).</summary>
    public string? Message { get; init; }

    /// <summary>The release (app spec's) this status observed.</summary>
    public long Release { get; init; }

    public IReadOnlyList<ServiceStatus> Services { get; init; } = [];

    /// <summary>When the controller last observed a change of meaning (the status is not rewritten while nothing changes).</summary>
    public DateTimeOffset? ObservedAt { get; init; }
}

public enum AppPhase
{
    /// <summary>Accepted, nothing observed yet.</summary>
    Pending,
    /// <summary>Converging towards the current generation.</summary>
    Deploying,
    /// <summary>Every desired replica is running (and healthy where it has a check).</summary>
    Running,
    /// <summary>Some replicas are missing, crash-looping or unhealthy.</summary>
    Degraded,
    /// <summary>The generation cannot be deployed as asked (refused, image missing, build failed); nothing was changed for it.</summary>
    Failed,
    /// <summary>Removal requested; engine objects are being removed.</summary>
    Deleting,
}
