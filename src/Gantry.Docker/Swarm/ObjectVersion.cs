namespace Gantry.Docker.Swarm;

/// <summary>A Swarm object's version: updates name the one they read, so concurrent changes are refused instead of lost.</summary>
public sealed record ObjectVersion
{
    /// <summary>The raft index of the object's last change.</summary>
    public long Index { get; init; }
}
