namespace Gantry.Controllers.Autoscaling;

/// <summary>The measures an autoscale policy can aim at (x-gantry autoscale's cpu, memory, rps and p95).</summary>
public enum AutoscaleTarget
{
    Cpu,
    Memory,
    RequestsPerSecond,
    P95,
}
