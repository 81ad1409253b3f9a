using System.Text.Json.Serialization;

namespace Gantry.Docker.Swarm;

/// <summary>One replica of a service: where Swarm placed it, what it should be and what it is.</summary>
public sealed record SwarmTask
{
    /// <summary>The task id.</summary>
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    /// <summary>The service it belongs to.</summary>
    [JsonPropertyName("ServiceID")]
    public string ServiceId { get; init; } = "";

    /// <summary>The node it was placed on; empty while pending.</summary>
    [JsonPropertyName("NodeID")]
    public string? NodeId { get; init; }

    /// <summary>Its replica slot (1..replicas).</summary>
    public int Slot { get; init; }

    /// <summary>The task template it runs (resources, container labels).</summary>
    public TaskSpec Spec { get; init; } = new();

    /// <summary>What Swarm wants it to be: <c>running</c>, <c>shutdown</c>, ...</summary>
    public string DesiredState { get; init; } = "";

    /// <summary>What it is.</summary>
    public SwarmTaskStatus Status { get; init; } = new();

    /// <summary>Its addresses on each network (CIDR form, such as 10.0.1.5/24).</summary>
    public IReadOnlyList<TaskNetworkAttachment>? NetworksAttachments { get; init; }
}
