namespace Gantry.Docker.Swarm;

/// <summary>The manager's view of a node's health.</summary>
public sealed record NodeStatus
{
    /// <summary><c>ready</c>, <c>down</c>, <c>unknown</c> or <c>disconnected</c>.</summary>
    public string State { get; init; } = "";

    /// <summary>Why, when not ready.</summary>
    public string? Message { get; init; }

    /// <summary>The node's address as the manager sees it.</summary>
    public string? Addr { get; init; }
}
