namespace Gantry.Docker.Containers;

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
