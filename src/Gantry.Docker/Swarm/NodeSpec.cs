namespace Gantry.Docker.Swarm;

/// <summary>What an operator sets on a node: the whole body of a node update (every field, or it is reset).</summary>
public sealed record NodeSpec
{
    /// <summary>An optional name (the host name is what constraints and Gantry show).</summary>
    public string? Name { get; init; }

    /// <summary>Node labels, matched by <c>node.labels.KEY</c> constraints.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary><c>worker</c> or <c>manager</c>.</summary>
    public string Role { get; init; } = "worker";

    /// <summary><c>active</c>, <c>pause</c> or <c>drain</c>.</summary>
    public string Availability { get; init; } = "active";
}
