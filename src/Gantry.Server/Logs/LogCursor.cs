namespace Gantry.Server.Logs;

/// <summary>
/// How far a container's output was collected: the time of its last stored line and how many stored lines carry exactly
/// that time. The engine's `since` is inclusive and lines can share a timestamp, so a reader that resumes at
/// <see cref="Time"/> skips <see cref="AtTime"/> lines of that time and stores the rest: nothing twice, nothing lost.
/// </summary>
public readonly record struct LogCursor(DateTimeOffset Time, int AtTime)
{
    /// <summary>The cursor after one more line at <paramref name="time"/> (a line older than the cursor leaves it as it is).</summary>
    public LogCursor Advance(DateTimeOffset time) =>
        time > Time ? new LogCursor(time, 1) : time == Time ? this with { AtTime = AtTime + 1 } : this;

    /// <summary>The later of two cursors of one container (lines of one time may sit in two segments: their counts add).</summary>
    public static LogCursor Merge(LogCursor a, LogCursor b) =>
        a.Time > b.Time ? a : b.Time > a.Time ? b : new LogCursor(a.Time, a.AtTime + b.AtTime);
}
