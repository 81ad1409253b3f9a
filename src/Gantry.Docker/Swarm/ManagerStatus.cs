namespace Gantry.Docker.Swarm;

/// <summary>A manager's place in the raft group.</summary>
public sealed record ManagerStatus
{
    /// <summary>This manager leads.</summary>
    public bool Leader { get; init; }

    /// <summary><c>reachable</c>, <c>unreachable</c> or <c>unknown</c>.</summary>
    public string Reachability { get; init; } = "";

    /// <summary>Its cluster address (host:2377).</summary>
    public string? Addr { get; init; }
}
