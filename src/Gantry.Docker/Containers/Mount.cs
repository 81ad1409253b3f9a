namespace Gantry.Docker.Containers;

/// <summary>One mount of a container: a named volume, a host bind, or a tmpfs with a size.</summary>
public sealed record Mount
{
    /// <summary><c>volume</c>, <c>bind</c> or <c>tmpfs</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Volume name or host path; empty for tmpfs.</summary>
    public string? Source { get; init; }

    /// <summary>Path inside the container.</summary>
    public required string Target { get; init; }

    /// <summary>Mount read-only.</summary>
    public bool? ReadOnly { get; init; }

    /// <summary>Options for <c>volume</c> mounts.</summary>
    public VolumeMountOptions? VolumeOptions { get; init; }

    /// <summary>Options for <c>tmpfs</c> mounts.</summary>
    public TmpfsMountOptions? TmpfsOptions { get; init; }

    /// <summary>A named volume (created on first use with the local driver if missing).</summary>
    public static Mount Volume(string name, string target, bool readOnly = false) =>
        new() { Type = "volume", Source = name, Target = target, ReadOnly = readOnly ? true : null };

    /// <summary>A host directory or file.</summary>
    public static Mount Bind(string hostPath, string target, bool readOnly = false) =>
        new() { Type = "bind", Source = hostPath, Target = target, ReadOnly = readOnly ? true : null };

    /// <summary>An in-memory tmpfs limited to sizeBytes.</summary>
    public static Mount Tmpfs(string target, long sizeBytes) =>
        new() { Type = "tmpfs", Target = target, TmpfsOptions = new TmpfsMountOptions { SizeBytes = sizeBytes } };
}
