namespace Gantry.Docker.Containers;

/// <summary>The outcome of <c>POST /containers/{id}/wait</c>.</summary>
public sealed record ContainerWaitResponse
{
    /// <summary>The exit code.</summary>
    public long StatusCode { get; init; }

    /// <summary>Set when waiting itself failed.</summary>
    public ContainerWaitError? Error { get; init; }
}

/// <summary>Why a wait failed.</summary>
public sealed record ContainerWaitError
{
    /// <summary>The daemon's message.</summary>
    public string? Message { get; init; }
}

/// <summary>What to wait for.</summary>
public enum WaitCondition
{
    /// <summary>Return as soon as the container is not running (immediately if it already stopped).</summary>
    NotRunning,

    /// <summary>Wait for the next exit, even if currently stopped.</summary>
    NextExit,

    /// <summary>Wait until the container is removed.</summary>
    Removed,
}
