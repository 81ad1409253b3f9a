namespace Gantry.Docker.Containers;

/// <summary>Warnings from an in-place update.</summary>
public sealed record ContainerUpdateResponse
{
    /// <summary>Warnings, for example about unsupported kernel features.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
}
