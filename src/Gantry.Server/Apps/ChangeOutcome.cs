using Gantry.Model.Api;

namespace Gantry.Server.Apps;

/// <summary>
/// What became of a request to change an app (a deploy, a scale, a rollback): accepted with its response, or why not.
/// The services decide the kind; only the endpoints turn it into an HTTP answer (<see cref="Http.ApiResults.FromOutcome"/>).
/// </summary>
public sealed record ChangeOutcome<T>(ChangeOutcomeKind Kind, T? Response, IReadOnlyList<Diagnostic> Errors, string? Reason)
    where T : class
{
    public static ChangeOutcome<T> Accepted(T response) => new(ChangeOutcomeKind.Accepted, response, [], null);

    /// <summary>The input is wrong (located errors): nothing was changed.</summary>
    public static ChangeOutcome<T> Invalid(IReadOnlyList<Diagnostic> errors) => new(ChangeOutcomeKind.Invalid, null, errors, null);

    /// <summary>A rule forbids the change (capacity, a route owned by another app, a release that cannot be restored).</summary>
    public static ChangeOutcome<T> Refused(string reason) => new(ChangeOutcomeKind.Refused, null, [], reason);

    /// <summary>The app's state does not allow it now (being removed, nothing to roll back to, already current).</summary>
    public static ChangeOutcome<T> Conflict(string reason) => new(ChangeOutcomeKind.Conflict, null, [], reason);

    /// <summary>The caller's role does not allow it (a deploy into a team the caller cannot deploy to).</summary>
    public static ChangeOutcome<T> Forbidden(string reason) => new(ChangeOutcomeKind.Forbidden, null, [], reason);

    /// <summary>The app or release named does not exist.</summary>
    public static ChangeOutcome<T> Missing(string reason) => new(ChangeOutcomeKind.Missing, null, [], reason);
}

public enum ChangeOutcomeKind
{
    Accepted,
    Invalid,
    Refused,
    Conflict,
    Missing,
    Forbidden,
}
