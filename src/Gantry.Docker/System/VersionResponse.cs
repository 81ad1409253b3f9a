namespace Gantry.Docker.System;

/// <summary>What <c>GET /version</c> reports: engine and API versions.</summary>
public sealed record VersionResponse
{
    /// <summary>Engine version, for example 20.10.24.</summary>
    public string Version { get; init; } = "";

    /// <summary>Highest API version the daemon speaks.</summary>
    public string ApiVersion { get; init; } = "";

    /// <summary>Lowest API version the daemon speaks.</summary>
    public string? MinApiVersion { get; init; }

    /// <summary>Operating system, for example linux.</summary>
    public string? Os { get; init; }

    /// <summary>Architecture.</summary>
    public string? Arch { get; init; }

    /// <summary>Kernel version.</summary>
    public string? KernelVersion { get; init; }
}
