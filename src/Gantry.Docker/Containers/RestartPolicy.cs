namespace Gantry.Docker.Containers;

/// <summary>Daemon-side restart behaviour: Name is <c>no</c>, <c>always</c>, <c>unless-stopped</c> or <c>on-failure</c>.</summary>
public sealed record RestartPolicy
{
    /// <summary>The policy name.</summary>
    public string Name { get; init; } = "no";

    /// <summary>Retries for <c>on-failure</c>; 0 is unlimited.</summary>
    public int? MaximumRetryCount { get; init; }
}
