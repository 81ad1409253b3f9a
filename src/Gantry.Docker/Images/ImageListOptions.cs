namespace Gantry.Docker.Images;

/// <summary>Query for listing images.</summary>
public sealed record ImageListOptions
{
    /// <summary>Include intermediate images.</summary>
    public bool All { get; init; }

    /// <summary>Filters such as label, reference, dangling.</summary>
    public DockerFilters? Filters { get; init; }
}
