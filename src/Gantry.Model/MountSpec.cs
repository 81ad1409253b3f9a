namespace Gantry.Model;

/// <summary>A mount into a service's containers.</summary>
/// <param name="Type">Named volume, host bind or tmpfs.</param>
/// <param name="Source">Volume name (as declared at top level), absolute host path, or null for tmpfs and anonymous volumes.</param>
/// <param name="Target">Absolute path inside the container.</param>
public sealed record MountSpec(MountType Type, string? Source, string Target)
{
    public bool ReadOnly { get; init; }

    /// <summary>For binds: create the host path when missing (compose's bind.create_host_path, true for the short syntax).</summary>
    public bool CreateHostPath { get; init; } = true;

    /// <summary>For tmpfs: size in bytes; null is unlimited.</summary>
    public long? TmpfsSizeBytes { get; init; }

    /// <summary>For tmpfs: the mount's permission bits (compose `tmpfs.mode`, octal in the file); null is the engine's 1777.</summary>
    public int? TmpfsMode { get; init; }

    /// <summary>For tmpfs: mount flags such as noexec, nosuid, nodev (the `tmpfs:` key's options other than size and mode); null when none.</summary>
    public IReadOnlyList<string>? TmpfsFlags { get; init; }

    /// <summary>For a named volume Gantry creates (declared at top level, not external, without a `name:` of its own): its
    /// compose name. Set on a container plan's mounts only (never in a stored spec), so engines that create the volume
    /// themselves (Swarm's nodes) can label it as Gantry's.</summary>
    public string? OwnedVolume { get; init; }
}

public enum MountType
{
    Volume,
    Bind,
    Tmpfs,
}
