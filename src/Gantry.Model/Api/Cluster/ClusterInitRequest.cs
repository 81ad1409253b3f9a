namespace Gantry.Model.Api.Cluster;

/// <summary>
/// `POST /api/v1/cluster/init`: make the server's engine a Swarm manager, or adopt the Swarm it manages.
/// AdvertiseAddress is the address other machines reach this engine at (needed when it has several);
/// HeartbeatSeconds the dispatcher heartbeat (default 1: a dead node is noticed sooner than with Swarm's 5).
/// </summary>
public sealed record ClusterInitRequest(string? AdvertiseAddress = null, double? HeartbeatSeconds = null);
