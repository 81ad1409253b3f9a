namespace Gantry.Docker.Containers;

/// <summary>Options of a tmpfs mount.</summary>
public sealed record TmpfsMountOptions
{
    /// <summary>Size limit in bytes.</summary>
    public long? SizeBytes { get; init; }

    /// <summary>Permission bits, for example 1777 octal as 1023.</summary>
    public int? Mode { get; init; }
}
