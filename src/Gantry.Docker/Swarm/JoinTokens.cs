namespace Gantry.Docker.Swarm;

/// <summary>The secrets that let an engine join a swarm as a worker or as a manager; never logged or returned by Gantry.</summary>
public sealed record JoinTokens
{
    /// <summary>Joins as a worker.</summary>
    public string Worker { get; init; } = "";

    /// <summary>Joins as a manager.</summary>
    public string Manager { get; init; } = "";
}
