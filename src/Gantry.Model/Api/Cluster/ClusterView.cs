namespace Gantry.Model.Api.Cluster;

/// <summary>
/// `GET /api/v1/cluster` and the answer of `POST /api/v1/cluster/init`: the Swarm the server's engine manages, so an operator
/// sees at a glance whether Gantry runs on one engine or on a cluster, and how soon a dead node is noticed. Join tokens are
/// never part of it: Gantry joins nodes itself.
/// </summary>
public sealed record ClusterView(string State, string? ClusterId, string? ManagerAddress, double? HeartbeatSeconds, int Nodes, int Managers)
{
    /// <summary>What `cluster init` did: created, adopted, or already (nothing to change); null on a plain read.</summary>
    public string? Action { get; init; }
}
