namespace Gantry.Model;

/// <summary>Where a Swarm driver may place replicas (compose `deploy.placement`); a single engine runs every replica on itself.</summary>
public sealed record PlacementSpec
{
    /// <summary>Constraints such as "node.role==manager" or "node.labels.disk==ssd".</summary>
    public IReadOnlyList<string> Constraints { get; init; } = [];

    /// <summary>Spread preferences, each a node attribute such as "node.labels.zone".</summary>
    public IReadOnlyList<string> Spread { get; init; } = [];

    /// <summary>At most this many replicas of the service on one node.</summary>
    public int? MaxReplicasPerNode { get; init; }
}
