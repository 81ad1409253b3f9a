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

/// <summary>Options of a volume mount.</summary>
public sealed record VolumeMountOptions
{
    /// <summary>Do not copy the image's content at the target into a new empty volume.</summary>
    public bool? NoCopy { get; init; }

    /// <summary>Labels set on the volume when the mount creates it.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>Options of a tmpfs mount.</summary>
public sealed record TmpfsMountOptions
{
    /// <summary>Size limit in bytes.</summary>
    public long? SizeBytes { get; init; }

    /// <summary>Permission bits, for example 1777 octal as 1023.</summary>
    public int? Mode { get; init; }
}
