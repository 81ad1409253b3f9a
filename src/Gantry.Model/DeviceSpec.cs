namespace Gantry.Model;

/// <summary>A host device mapped into a container (compose `devices`, "/dev/ttyUSB0:/dev/ttyUSB0:rwm").</summary>
public sealed record DeviceSpec(string PathOnHost, string PathInContainer)
{
    /// <summary>Cgroup permissions: any of r (read), w (write), m (mknod).</summary>
    public string Permissions { get; init; } = "rwm";
}
