using Gantry.Model.Status;

namespace Gantry.Model.Api;

/// <summary>`GET /api/v1/apps/{app}/replicas`: a replica's status plus live usage read from the engine.</summary>
public sealed record ReplicaView(ReplicaStatus Replica)
{
    public double? CpuPercent { get; init; }

    public long? MemoryUsageBytes { get; init; }
}
