namespace Gantry.Controllers.Engine;

/// <summary>
/// What one image build may use on the engine: each build step's container runs under these (the Engine API's `/build`
/// `cpuquota`/`cpuperiod`/`memory`/`memswap`), so a runaway build cannot starve the node's replicas. Null fields are unlimited.
/// </summary>
/// <param name="Cpus">CPUs as a fraction (1.5 = one and a half cores), turned into a quota per 100 ms period.</param>
/// <param name="MemoryBytes">Memory of each step's container; swap is not allowed beyond it.</param>
public sealed record BuildLimits(double? Cpus, long? MemoryBytes)
{
    /// <summary>The CFS period the quota is counted over (the engine's and the kernel's default).</summary>
    public const long CpuPeriodMicroseconds = 100_000;

    public long? CpuQuotaMicroseconds => Cpus is { } cpus ? (long)Math.Round(cpus * CpuPeriodMicroseconds) : null;
}
