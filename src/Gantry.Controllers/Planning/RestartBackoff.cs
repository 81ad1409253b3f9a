namespace Gantry.Controllers.Planning;

/// <summary>
/// Exponential backoff for replicas Gantry restarts itself (the engine's own restart policy handles
/// plain crashes; Gantry steps in when the engine will not, e.g. after `docker kill`). The first
/// restart is immediate so a killed replica is back within one reconcile pass.
/// </summary>
public sealed record RestartBackoff
{
    public TimeSpan Initial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Max { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A replica that ran this long before exiting is considered stable: its count starts over.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Delay before restart number <paramref name="restarts"/>+1, counting from when the replica exited.</summary>
    public TimeSpan DelayAfter(int restarts)
    {
        if (restarts <= 0)
        {
            return TimeSpan.Zero;
        }
        var exponent = Math.Min(restarts - 1, 20);
        var delay = TimeSpan.FromTicks(Initial.Ticks * (1L << exponent));
        return delay > Max ? Max : delay;
    }
}
