namespace Gantry.Controllers.Engine;

/// <summary>What one engine node has: total memory in bytes and CPU count.</summary>
public sealed record NodeCapacity(string Name, long MemoryBytes, int Cpus)
{
    /// <summary>The platform its containers run as, "os/arch" in OCI terms (linux/amd64); null when the engine did not say.</summary>
    public string? Platform { get; init; }

    /// <summary>The OCI platform of an engine's OSType and uname architecture (x86_64 is amd64, aarch64 arm64).</summary>
    public static string? PlatformOf(string? os, string? architecture) => os is { Length: > 0 } && architecture is { Length: > 0 }
        ? os + "/" + architecture switch
        {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "armv7l" or "armv6l" => "arm",
            "i386" or "i686" => "386",
            var other => other,
        }
        : null;
}
