namespace Gantry.Model;

/// <summary>Limits and reservations per replica. The resource guard fills missing limits from configured defaults.</summary>
public sealed record ResourcesSpec
{
    /// <summary>Hard memory limit in bytes (deploy.resources.limits.memory, or mem_limit).</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>CPU limit in billionths of a CPU (deploy.resources.limits.cpus, or cpus).</summary>
    public long? NanoCpus { get; init; }

    /// <summary>Maximum number of processes (deploy.resources.limits.pids, or pids_limit).</summary>
    public long? PidsLimit { get; init; }

    /// <summary>Soft memory reservation in bytes (deploy.resources.reservations.memory, or mem_reservation).</summary>
    public long? MemoryReservationBytes { get; init; }

    /// <summary>CPU reservation in billionths of a CPU.</summary>
    public long? NanoCpusReservation { get; init; }

    /// <summary>Memory plus swap in bytes (compose `memswap_limit`); -1 is unlimited swap. Null keeps Gantry's default: no swap.</summary>
    public long? MemorySwapBytes { get; init; }
}
