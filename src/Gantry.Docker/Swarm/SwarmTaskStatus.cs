using System.Text.Json.Serialization;

namespace Gantry.Docker.Swarm;

/// <summary>A task's observed state (<c>new</c>, <c>pending</c>, ..., <c>running</c>, <c>complete</c>, <c>failed</c>, <c>rejected</c>, <c>orphaned</c>).</summary>
public sealed record SwarmTaskStatus
{
    /// <summary>The state.</summary>
    public string State { get; init; } = "";

    /// <summary>Swarm's words for it (for a pending task: why it cannot be placed).</summary>
    public string? Message { get; init; }

    /// <summary>The error, when it failed or was rejected.</summary>
    public string? Err { get; init; }

    /// <summary>When the state was reached.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The container that runs it, once there is one.</summary>
    public TaskContainerStatus? ContainerStatus { get; init; }
}

/// <summary>The container behind a task.</summary>
public sealed record TaskContainerStatus
{
    /// <summary>Its id on the task's node.</summary>
    [JsonPropertyName("ContainerID")]
    public string? ContainerId { get; init; }

    /// <summary>Its exit code, once it exited.</summary>
    public int? ExitCode { get; init; }
}
