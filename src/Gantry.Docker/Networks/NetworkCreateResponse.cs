namespace Gantry.Docker.Networks;

/// <summary>The id of a created network.</summary>
public sealed record NetworkCreateResponse
{
    /// <summary>Network id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Daemon warning, if any.</summary>
    public string? Warning { get; init; }
}
