namespace Gantry.Docker.Containers;

/// <summary>One line of container output: which stream it came from, the daemon's timestamp if asked for, and the text without its newline.</summary>
public sealed record LogEntry(LogStream Stream, DateTimeOffset? Timestamp, string Text);

/// <summary>The stream a log line came from (the stream id in the multiplexing header).</summary>
public enum LogStream
{
    /// <summary>Standard input (only when attached).</summary>
    Stdin = 0,

    /// <summary>Standard output; also everything from a TTY container.</summary>
    Stdout = 1,

    /// <summary>Standard error.</summary>
    Stderr = 2,

    /// <summary>Daemon-side errors about the stream itself (API 1.42+).</summary>
    SystemError = 3,
}
