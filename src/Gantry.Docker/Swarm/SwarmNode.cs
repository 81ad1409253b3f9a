using System.Text.Json.Serialization;

namespace Gantry.Docker.Swarm;

/// <summary>A node of the swarm: its spec (what an operator set) and what the manager observed of it.</summary>
public sealed record SwarmNode
{
    /// <summary>The node id.</summary>
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    /// <summary>The version an update must name.</summary>
    public ObjectVersion Version { get; init; } = new();

    /// <summary>Role, availability and labels as set.</summary>
    public NodeSpec Spec { get; init; } = new();

    /// <summary>Host name, capacity and engine, as the node reported them.</summary>
    public NodeDescription Description { get; init; } = new();

    /// <summary>ready, down, unknown or disconnected, with the node's address.</summary>
    public NodeStatus Status { get; init; } = new();

    /// <summary>When the manager last changed the node (its state, availability, labels): how recent a loss is.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Set on managers: leader or not, reachability.</summary>
    public ManagerStatus? ManagerStatus { get; init; }
}
