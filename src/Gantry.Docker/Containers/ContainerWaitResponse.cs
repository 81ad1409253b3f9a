namespace Gantry.Docker.Containers;

/// <summary>The outcome of <c>POST /containers/{id}/wait</c>.</summary>
public sealed record ContainerWaitResponse
{
    /// <summary>The exit code.</summary>
    public long StatusCode { get; init; }

    /// <summary>Set when waiting itself failed.</summary>
    public ContainerWaitError? Error { get; init; }
}
