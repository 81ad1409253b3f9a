using Microsoft.AspNetCore.Http;

namespace Gantry.Console.Sessions;

/// <summary>
/// The console's one link to the server's identity (users, tokens, the failure limiter, the audit log), implemented by
/// the server: the console holds pages and the cookie, never its own notion of who may do what.
/// </summary>
public interface IConsoleIdentity
{
    /// <summary>Checks a user name and password under the same failure limit as the API's sign-in, and on success issues a login token.</summary>
    Task<SignInOutcome> SignInAsync(HttpContext context, string username, string password, CancellationToken ct);

    /// <summary>
    /// Re-authenticates a session's token for this request; false when it was revoked, expired or its user removed.
    /// On true the server's principal for the token is attached to <paramref name="context"/> for the pages' queries.
    /// </summary>
    Task<bool> ResumeAsync(HttpContext context, string token, CancellationToken ct);

    /// <summary>Revokes the session's token, so the session ends everywhere it was copied to, not only in this browser.</summary>
    Task SignOutAsync(HttpContext context, string token, CancellationToken ct);
}
