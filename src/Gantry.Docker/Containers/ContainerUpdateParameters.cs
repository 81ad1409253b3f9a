namespace Gantry.Docker.Containers;

/// <summary>The body of <c>POST /containers/{id}/update</c>: resource limits and restart policy changed in place, without a restart.</summary>
public sealed record ContainerUpdateParameters
{
    /// <summary>Hard memory limit in bytes; raise MemorySwap with it when swap was pinned to the old limit.</summary>
    public long? Memory { get; init; }

    /// <summary>Memory plus swap in bytes.</summary>
    public long? MemorySwap { get; init; }

    /// <summary>Soft memory limit in bytes.</summary>
    public long? MemoryReservation { get; init; }

    /// <summary>CPU quota in units of 1e-9 CPUs.</summary>
    public long? NanoCpus { get; init; }

    /// <summary>Relative CPU weight.</summary>
    public long? CpuShares { get; init; }

    /// <summary>Maximum number of processes.</summary>
    public long? PidsLimit { get; init; }

    /// <summary>New restart policy.</summary>
    public RestartPolicy? RestartPolicy { get; init; }
}
