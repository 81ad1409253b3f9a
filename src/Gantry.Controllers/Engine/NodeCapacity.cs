namespace Gantry.Controllers.Engine;

/// <summary>What one engine node has: total memory in bytes and CPU count.</summary>
public sealed record NodeCapacity(string Name, long MemoryBytes, int Cpus);
