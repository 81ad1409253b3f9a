namespace Gantry.Cli.Rollout;

/// <summary>How a rollout ended: still going (null from the tracker), running, or failed with the server's reason.</summary>
public sealed record RolloutOutcome(bool Succeeded, string? Message);
