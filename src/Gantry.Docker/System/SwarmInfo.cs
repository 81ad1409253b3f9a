using System.Text.Json.Serialization;

namespace Gantry.Docker.System;

/// <summary>This node's Swarm membership.</summary>
public sealed record SwarmInfo
{
    /// <summary><c>inactive</c>, <c>pending</c>, <c>active</c>, <c>error</c> or <c>locked</c>.</summary>
    public string LocalNodeState { get; init; } = "";

    /// <summary>Node id when in a swarm.</summary>
    [JsonPropertyName("NodeID")]
    public string? NodeId { get; init; }

    /// <summary>Address other nodes use.</summary>
    public string? NodeAddr { get; init; }

    /// <summary>This node is a manager.</summary>
    public bool ControlAvailable { get; init; }

    /// <summary>The managers this node knows (address host:2377); where a joining engine is sent.</summary>
    public IReadOnlyList<SwarmPeer>? RemoteManagers { get; init; }
}

/// <summary>A manager as another node knows it.</summary>
public sealed record SwarmPeer
{
    /// <summary>Its node id.</summary>
    [JsonPropertyName("NodeID")]
    public string NodeId { get; init; } = "";

    /// <summary>Its cluster address (host:2377).</summary>
    public string Addr { get; init; } = "";
}
