using System.Text.Json.Serialization;

namespace Gantry.Docker.Containers;

/// <summary>A container's runtime state as the daemon last observed it.</summary>
public sealed record ContainerState
{
    /// <summary><c>created</c>, <c>running</c>, <c>paused</c>, <c>restarting</c>, <c>removing</c>, <c>exited</c> or <c>dead</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>The main process is running.</summary>
    public bool Running { get; init; }

    /// <summary>Paused.</summary>
    public bool Paused { get; init; }

    /// <summary>Being restarted by its restart policy.</summary>
    public bool Restarting { get; init; }

    /// <summary>The kernel OOM killer killed a process of the container.</summary>
    [JsonPropertyName("OOMKilled")]
    public bool OomKilled { get; init; }

    /// <summary>Dead (removal failed half-way).</summary>
    public bool Dead { get; init; }

    /// <summary>Host PID of the main process; 0 when not running.</summary>
    public int Pid { get; init; }

    /// <summary>Exit code of the last run.</summary>
    public int ExitCode { get; init; }

    /// <summary>Why the daemon failed to start it, if it did.</summary>
    public string? Error { get; init; }

    /// <summary>Start of the last run; <see cref="DateTimeOffset.MinValue"/> if never started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>End of the last run; <see cref="DateTimeOffset.MinValue"/> if not finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Health check state; null when the container has no health check.</summary>
    public ContainerHealth? Health { get; init; }
}
