namespace Gantry.Docker.Containers;

/// <summary>The id of a created container and any daemon warnings.</summary>
public sealed record ContainerCreateResponse
{
    /// <summary>Full container id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Warnings such as "your kernel does not support swap limit capabilities".</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
}
