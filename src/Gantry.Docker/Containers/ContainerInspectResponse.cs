namespace Gantry.Docker.Containers;

/// <summary>What <c>GET /containers/{id}/json</c> reports about one container.</summary>
public sealed record ContainerInspectResponse
{
    /// <summary>Full container id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Name with the daemon's leading slash, for example <c>/web-1</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Creation time.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>Image id (sha256:...) the container runs.</summary>
    public string Image { get; init; } = "";

    /// <summary>Runtime state.</summary>
    public ContainerState State { get; init; } = new();

    /// <summary>Times the daemon restarted it under its restart policy.</summary>
    public int RestartCount { get; init; }

    /// <summary>Config as created (labels, env, health check, ...).</summary>
    public ContainerConfig Config { get; init; } = new();

    /// <summary>Host config as created (limits, mounts, ...).</summary>
    public HostConfig HostConfig { get; init; } = new();

    /// <summary>Network endpoints and published ports.</summary>
    public NetworkSettings NetworkSettings { get; init; } = new();

    /// <summary>Mounts as the daemon resolved them.</summary>
    public IReadOnlyList<MountPoint>? Mounts { get; init; }
}
