namespace Gantry.Server.Git;

/// <summary>Running, failed, or still going when the push stopped waiting.</summary>
public enum PushRolloutResult
{
    Running,
    Failed,
    TimedOut,
}
