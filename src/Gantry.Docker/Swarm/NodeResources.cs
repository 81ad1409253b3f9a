namespace Gantry.Docker.Swarm;

/// <summary>CPU (in billionths of a CPU) and memory (bytes): a node's capacity, or a task's reservation or limit.</summary>
public sealed record NodeResources
{
    /// <summary>CPUs × 10⁹.</summary>
    public long NanoCPUs { get; init; }

    /// <summary>Bytes.</summary>
    public long MemoryBytes { get; init; }
}
