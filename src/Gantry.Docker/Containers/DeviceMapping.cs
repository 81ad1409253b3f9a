namespace Gantry.Docker.Containers;

/// <summary>A host device made available inside a container.</summary>
public sealed record DeviceMapping
{
    /// <summary>Device path on the host, such as <c>/dev/fuse</c>.</summary>
    public required string PathOnHost { get; init; }

    /// <summary>Device path inside the container.</summary>
    public required string PathInContainer { get; init; }

    /// <summary>Cgroup permissions: any of r, w and m.</summary>
    public string CgroupPermissions { get; init; } = "rwm";
}
