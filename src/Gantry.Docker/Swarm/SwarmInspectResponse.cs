using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Gantry.Docker.Swarm;

/// <summary>The answer of <c>GET /swarm</c>: the cluster's identity, version, spec and join tokens.</summary>
public sealed record SwarmInspectResponse
{
    /// <summary>The cluster id.</summary>
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    /// <summary>The object version an update must name.</summary>
    public ObjectVersion Version { get; init; } = new();

    /// <summary>The cluster's spec, kept whole so an update changes only what the caller changed.</summary>
    public JsonObject Spec { get; init; } = [];

    /// <summary>The tokens that join a worker or a manager.</summary>
    public JoinTokens JoinTokens { get; init; } = new();

    /// <summary>Dispatcher heartbeat period from the spec (nanoseconds in the API); null when unset.</summary>
    [JsonIgnore]
    public TimeSpan? DispatcherHeartbeat =>
        Spec["Dispatcher"]?["HeartbeatPeriod"] is JsonValue v && v.TryGetValue<long>(out var ns) ? TimeSpan.FromTicks(ns / 100) : null;
}
