namespace Gantry.Server.Builds;

/// <summary>Pure: why a build stopped, in words that name the limit and the option that sets it.</summary>
public static class BuildMessages
{
    /// <summary>
    /// The engine's error for a failed step, with the likely cause when a step was killed (exit 137: SIGKILL, which under a
    /// memory limit is the kernel's OOM killer; the classic builder reports only the exit code).
    /// </summary>
    public static string Failed(string service, string engineMessage, long? memoryLimit)
    {
        var text = $"service '{service}': {engineMessage.Trim()}";
        if (memoryLimit is { } memory && engineMessage.Contains("non-zero code: 137", StringComparison.Ordinal))
        {
            text += $" (137: the step was killed, most likely for going over the build memory limit of {BuildLogBound.ByteText(memory)}: raise --build-memory, or make the step use less)";
        }
        return text;
    }

    public static string TimedOut(TimeSpan limit) =>
        $"stopped: the build ran over the time limit of {Duration(limit)} (--build-timeout)";

    /// <summary>A test stage's command ended non-zero: its exit code and its last lines, so the push shows why.</summary>
    public static string TestFailed(string service, long exitCode, IReadOnlyList<string> lastLines, long? memoryLimit)
    {
        var text = $"test stage failed: service '{service}': its test exited {exitCode}";
        if (exitCode == 137 && memoryLimit is { } memory)
        {
            text += $" (killed, most likely for going over the build memory limit of {BuildLogBound.ByteText(memory)}: raise --build-memory)";
        }
        return lastLines.Count == 0 ? text + " and wrote nothing" : text + "; its last lines: " + string.Join(" | ", lastLines);
    }

    public static string TestTimedOut(string service, TimeSpan limit) =>
        $"test stage failed: service '{service}': its test ran over its time limit of {Duration(limit)} (x-gantry test.timeout)";

    public static string TestNotRun(string service, string engineMessage) =>
        $"test stage failed: service '{service}': its test could not run: {engineMessage.Trim()}";

    public static string Cancelled(string by) => $"cancelled by {by}";

    public static string Interrupted => "cancelled: the push went away before the build ended (the git client disconnected, or the server is stopping)";

    public static string Restarted => "failed: the server stopped while this build was queued or running";

    public static string Duration(TimeSpan span) => span switch
    {
        { TotalHours: >= 1 } when span.Minutes == 0 && span.Seconds == 0 => $"{(int)span.TotalHours}h",
        { TotalMinutes: >= 1 } when span.Seconds == 0 => $"{(int)span.TotalMinutes}m",
        { TotalSeconds: >= 1 } => $"{(int)span.TotalSeconds}s",
        _ => $"{(int)span.TotalMilliseconds}ms",
    };
}
