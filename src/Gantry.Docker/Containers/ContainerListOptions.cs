namespace Gantry.Docker.Containers;

/// <summary>Query for listing containers.</summary>
public sealed record ContainerListOptions
{
    /// <summary>Include stopped containers.</summary>
    public bool All { get; init; }

    /// <summary>Filters such as label, name, status.</summary>
    public DockerFilters? Filters { get; init; }
}
