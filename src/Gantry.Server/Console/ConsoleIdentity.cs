using Gantry.Console.Sessions;
using Gantry.Server.Audit;
using Gantry.Server.Auth;
using Gantry.Server.Identity;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Console;

/// <summary>
/// The console's sessions on the server's identity: the API's password sign-in (same limiter), the API's token check
/// on every request (a revoked token or removed user ends the session at once), and token revocation on sign-out.
/// The principal a session resolves to is the one the API would build for the same token.
/// </summary>
public sealed class ConsoleIdentity(PasswordSignIn signIn, Authenticator authenticator, IdentityService identity) : IConsoleIdentity
{
    public async Task<SignInOutcome> SignInAsync(HttpContext context, string username, string password, CancellationToken ct)
    {
        // The audit entry names the user the attempt was for, as the API's sign-in does.
        AuditMiddleware.SetActor(context, username.Length is > 0 and <= 63 ? username : "anonymous");
        var result = await signIn.SignInAsync(context.Connection.RemoteIpAddress, username, password, "console sign-in", ct).ConfigureAwait(false);
        return result switch
        {
            { RetryAfter: { } wait } => new SignInOutcome(SignInStatus.LockedOut) { RetryAfter = wait },
            { Token: { } created } => new SignInOutcome(SignInStatus.SignedIn) { User = created.Token.User, Token = created.Secret, Expires = created.Token.Expires },
            _ => SignInOutcome.Refused,
        };
    }

    public async Task<bool> ResumeAsync(HttpContext context, string token, CancellationToken ct)
    {
        var principal = await authenticator.AuthenticateTokenAsync(token, ct).ConfigureAwait(false);
        if (principal is null || principal.IsRouter)
        {
            return false;
        }
        context.SetPrincipal(principal);
        return true;
    }

    public async Task SignOutAsync(HttpContext context, string token, CancellationToken ct)
    {
        var principal = context.PrincipalOrNull() ?? await authenticator.AuthenticateTokenAsync(token, ct).ConfigureAwait(false);
        if (principal?.TokenId is { } id)
        {
            await identity.RevokeTokenAsync(principal, id, ct).ConfigureAwait(false);
        }
    }
}
