using System.Globalization;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Containers;

/// <summary>Which log lines to read and whether to keep following new ones.</summary>
public sealed record ContainerLogsOptions
{
    /// <summary>Include stdout.</summary>
    public bool Stdout { get; init; } = true;

    /// <summary>Include stderr.</summary>
    public bool Stderr { get; init; } = true;

    /// <summary>Keep the stream open and yield new lines until cancelled or the container stops.</summary>
    public bool Follow { get; init; }

    /// <summary>Only the last N lines; null for all. dockerd counts them before dropping an excluded stream.</summary>
    public int? Tail { get; init; }

    /// <summary>Only lines at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only lines before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Ask the daemon for a timestamp per line and parse it into <see cref="LogEntry.Timestamp"/>.</summary>
    public bool Timestamps { get; init; }

    /// <summary>Whether the container has a TTY (raw stream); null inspects the container to find out.</summary>
    public bool? Tty { get; init; }

    /// <summary>The logs endpoints' query (a container's, and a Swarm task's, which has no <c>until</c>).</summary>
    internal QueryString ToQuery(bool withUntil) => new QueryString()
        .Add("stdout", Stdout)
        .Add("stderr", Stderr)
        .AddFlag("follow", Follow)
        .Add("tail", Tail?.ToString(CultureInfo.InvariantCulture) ?? "all")
        .Add("since", Since is { } since ? DockerTime.ToUnixSeconds(since) : null)
        .Add("until", withUntil && Until is { } until ? DockerTime.ToUnixSeconds(until) : null)
        .AddFlag("timestamps", Timestamps);
}
