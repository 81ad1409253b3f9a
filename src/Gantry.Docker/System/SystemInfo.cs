using System.Text.Json.Serialization;

namespace Gantry.Docker.System;

/// <summary>What <c>GET /info</c> reports about the host; the resource guard reads MemTotal and NCPU.</summary>
public sealed record SystemInfo
{
    /// <summary>Daemon id.</summary>
    [JsonPropertyName("ID")]
    public string? Id { get; init; }

    /// <summary>Host name.</summary>
    public string Name { get; init; } = "";

    /// <summary>CPUs.</summary>
    [JsonPropertyName("NCPU")]
    public int NCpu { get; init; }

    /// <summary>Memory in bytes.</summary>
    public long MemTotal { get; init; }

    /// <summary>Engine version.</summary>
    public string ServerVersion { get; init; } = "";

    /// <summary>The OS containers run on: <c>linux</c> or <c>windows</c>.</summary>
    public string? OSType { get; init; }

    /// <summary>The host's machine architecture as uname says it, such as <c>x86_64</c> or <c>aarch64</c>.</summary>
    public string? Architecture { get; init; }

    /// <summary>Host OS description.</summary>
    public string OperatingSystem { get; init; } = "";

    /// <summary><c>1</c> or <c>2</c>.</summary>
    public string? CgroupVersion { get; init; }

    /// <summary><c>cgroupfs</c> or <c>systemd</c>.</summary>
    public string? CgroupDriver { get; init; }

    /// <summary>Kernel version.</summary>
    public string? KernelVersion { get; init; }

    /// <summary>Containers in total.</summary>
    public int Containers { get; init; }

    /// <summary>Running containers.</summary>
    public int ContainersRunning { get; init; }

    /// <summary>Images.</summary>
    public int Images { get; init; }

    /// <summary>Swarm membership.</summary>
    public SwarmInfo? Swarm { get; init; }
}
