namespace Gantry.Docker.Swarm;

/// <summary>What a node reports about itself.</summary>
public sealed record NodeDescription
{
    /// <summary>The machine's host name (node.hostname in constraints).</summary>
    public string Hostname { get; init; } = "";

    /// <summary>CPU and memory the node offers.</summary>
    public NodeResources Resources { get; init; } = new();

    /// <summary>The engine's version.</summary>
    public NodeEngine Engine { get; init; } = new();
}
