namespace Gantry.Server.Storage;

/// <summary>How much release history the server keeps.</summary>
public sealed record RetentionPolicy
{
    /// <summary>Newest releases kept per app, whatever they are; older ones go unless protected (live, warm, rollback target, in progress).</summary>
    public int KeepReleasesPerApp { get; init; } = 10;
}
