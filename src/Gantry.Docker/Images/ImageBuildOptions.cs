namespace Gantry.Docker.Images;

/// <summary>Query parameters of <c>POST /build</c>.</summary>
public sealed record ImageBuildOptions
{
    /// <summary>Tags (<c>name:tag</c>) for the result; Gantry tags with the commit id, never latest.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Dockerfile path inside the context.</summary>
    public string Dockerfile { get; init; } = "Dockerfile";

    /// <summary>ARG values.</summary>
    public IReadOnlyDictionary<string, string>? BuildArgs { get; init; }

    /// <summary>Build stage to stop at.</summary>
    public string? Target { get; init; }

    /// <summary>Labels added to the image.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Remove intermediate containers after a successful build.</summary>
    public bool Remove { get; init; } = true;

    /// <summary>Always remove intermediate containers, even after a failure.</summary>
    public bool ForceRemove { get; init; } = true;

    /// <summary>Try to pull newer base images (off: builds here must work without a registry).</summary>
    public bool Pull { get; init; }

    /// <summary>Do not use the build cache.</summary>
    public bool NoCache { get; init; }

    /// <summary>CPU time each build step's container may use per <see cref="CpuPeriod"/>, in microseconds (`cpuquota`); null: unlimited.</summary>
    public long? CpuQuota { get; init; }

    /// <summary>The period <see cref="CpuQuota"/> is counted over, in microseconds (`cpuperiod`).</summary>
    public long? CpuPeriod { get; init; }

    /// <summary>Memory limit of each build step's container in bytes (`memory`); null: unlimited.</summary>
    public long? Memory { get; init; }

    /// <summary>Memory plus swap in bytes (`memswap`); equal to <see cref="Memory"/> means no swap, -1 unlimited swap.</summary>
    public long? MemorySwap { get; init; }
}
