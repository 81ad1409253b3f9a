namespace Gantry.Docker.Containers;

/// <summary>One per-process resource limit, such as <c>nofile</c> 1024/4096.</summary>
public sealed record Ulimit
{
    /// <summary>Limit name without RLIMIT_, lower case (<c>nofile</c>, <c>nproc</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Soft limit; -1 unlimited.</summary>
    public long Soft { get; init; }

    /// <summary>Hard limit; -1 unlimited.</summary>
    public long Hard { get; init; }
}
