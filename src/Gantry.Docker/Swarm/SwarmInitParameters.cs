using System.Text.Json.Nodes;

namespace Gantry.Docker.Swarm;

/// <summary>The body of <c>POST /swarm/init</c>.</summary>
public sealed record SwarmInitParameters
{
    /// <summary>Where the manager listens for cluster traffic; 0.0.0.0:2377 by default.</summary>
    public string ListenAddr { get; init; } = "0.0.0.0:2377";

    /// <summary>The address other nodes reach this one at; null lets the engine choose (it refuses when it has several).</summary>
    public string? AdvertiseAddr { get; init; }

    /// <summary>The cluster's initial spec (dispatcher heartbeat, raft, orchestration); null takes the engine's defaults.</summary>
    public JsonObject? Spec { get; init; }
}
