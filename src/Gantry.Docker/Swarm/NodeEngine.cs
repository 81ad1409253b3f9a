namespace Gantry.Docker.Swarm;

/// <summary>The engine a node runs.</summary>
public sealed record NodeEngine
{
    /// <summary>For example 20.10.24.</summary>
    public string EngineVersion { get; init; } = "";
}
