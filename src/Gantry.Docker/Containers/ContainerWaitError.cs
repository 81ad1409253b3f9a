namespace Gantry.Docker.Containers;

/// <summary>Why a wait failed.</summary>
public sealed record ContainerWaitError
{
    /// <summary>The daemon's message.</summary>
    public string? Message { get; init; }
}
