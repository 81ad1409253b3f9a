namespace Gantry.Server.Git;

/// <summary>How a followed deploy ended.</summary>
public sealed record PushRolloutOutcome(PushRolloutResult Result, string? Message);
