namespace Gantry.Controllers.Resources;

/// <summary>Limits given to containers whose compose file sets none, and the memory a node keeps for itself.</summary>
public sealed record ResourceDefaults
{
    public long MemoryLimitBytes { get; init; } = 256L * 1024 * 1024;

    public long NanoCpus { get; init; } = 1_000_000_000;

    /// <summary>Memory kept back for the OS, dockerd and Gantry; null means max(512 MiB, 10% of the node).</summary>
    public long? NodeReserveBytes { get; init; }

    public long ReserveFor(long nodeMemoryBytes) =>
        NodeReserveBytes ?? Math.Max(512L * 1024 * 1024, nodeMemoryBytes / 10);
}
