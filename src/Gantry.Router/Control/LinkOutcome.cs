namespace Gantry.Router.Control;

/// <summary>What became of one post to the server: accepted, or failed with the reason to log (unreachable, timed out, not 2xx).</summary>
public readonly record struct LinkOutcome(bool IsAccepted, string? Failure)
{
    public static LinkOutcome Accepted => new(true, null);

    public static LinkOutcome Failed(string reason) => new(false, reason);
}
