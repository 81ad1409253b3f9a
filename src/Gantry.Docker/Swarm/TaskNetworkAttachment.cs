using System.Text.Json.Serialization;

namespace Gantry.Docker.Swarm;

/// <summary>A task's place on one network: which network, and its addresses there.</summary>
public sealed record TaskNetworkAttachment
{
    /// <summary>The network (id and spec name).</summary>
    public AttachedNetwork Network { get; init; } = new();

    /// <summary>CIDR addresses, such as 10.0.1.5/24.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];
}

/// <summary>The network of an attachment.</summary>
public sealed record AttachedNetwork
{
    /// <summary>The network id.</summary>
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    /// <summary>Its spec (the name).</summary>
    public AttachedNetworkSpec Spec { get; init; } = new();
}

/// <summary>The part of a network's spec a task attachment needs.</summary>
public sealed record AttachedNetworkSpec
{
    /// <summary>The network's name.</summary>
    public string Name { get; init; } = "";
}
