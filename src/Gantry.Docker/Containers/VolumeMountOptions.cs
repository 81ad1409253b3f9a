namespace Gantry.Docker.Containers;

/// <summary>Options of a volume mount.</summary>
public sealed record VolumeMountOptions
{
    /// <summary>Do not copy the image's content at the target into a new empty volume.</summary>
    public bool? NoCopy { get; init; }

    /// <summary>Labels set on the volume when the mount creates it.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
