namespace Gantry.Docker.Containers;

/// <summary>A mount as the daemon resolved it (inspect's <c>Mounts</c>).</summary>
public sealed record MountPoint
{
    /// <summary><c>volume</c>, <c>bind</c> or <c>tmpfs</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>Volume name, for volumes.</summary>
    public string? Name { get; init; }

    /// <summary>Host path.</summary>
    public string? Source { get; init; }

    /// <summary>Path in the container.</summary>
    public string Destination { get; init; } = "";

    /// <summary>Writable.</summary>
    public bool RW { get; init; }
}
