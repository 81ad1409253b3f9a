namespace Gantry.Server.Git;

/// <summary>The answer: allowed (for an existing app, or to create a new one), or refused with an HTTP status and a message for git to print.</summary>
public sealed record GitAccessDecision(int Status, string? Message, bool CreatesApp = false)
{
    public static readonly GitAccessDecision Allowed = new(200, null);

    public static readonly GitAccessDecision Create = new(200, null, CreatesApp: true);

    public bool IsAllowed => Status == 200;

    public static GitAccessDecision NotFound(string message) => new(404, message);

    public static GitAccessDecision Forbidden(string message) => new(403, message);
}
