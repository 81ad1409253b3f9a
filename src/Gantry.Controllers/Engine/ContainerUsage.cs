namespace Gantry.Controllers.Engine;

/// <summary>A sample of a container's resource use, computed the way `docker stats` shows it.</summary>
public sealed record ContainerUsage(double CpuPercent, long MemoryUsageBytes, long MemoryLimitBytes);
