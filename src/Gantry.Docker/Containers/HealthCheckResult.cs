namespace Gantry.Docker.Containers;

/// <summary>One health check run.</summary>
public sealed record HealthCheckResult
{
    /// <summary>When the check started.</summary>
    public DateTimeOffset Start { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset End { get; init; }

    /// <summary>0 healthy, 1 unhealthy, other values reserved.</summary>
    public int ExitCode { get; init; }

    /// <summary>The check's output (truncated by the daemon).</summary>
    public string Output { get; init; } = "";
}
