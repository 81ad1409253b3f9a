using System.Net;
using Gantry.Model.Api.Identity;
using Gantry.Registry.Auth;

namespace Gantry.Server.Identity;

/// <summary>
/// A user name and password for a login token, under the failure limit: shared by `POST /api/v1/login` and the
/// console's sign-in form, so a guesser gains nothing by switching between them. Failures count per address and per
/// user name, so guessing one user's password from many addresses, or many users' from one, both stop.
/// </summary>
public sealed class PasswordSignIn(Authenticator authenticator, IdentityService identity, AuthFailureLimiter limiter)
{
    /// <param name="purpose">Where the sign-in came from ("login", "console sign-in"), kept in the token's description.</param>
    public async Task<PasswordSignInResult> SignInAsync(IPAddress? remote, string username, string password, string purpose, CancellationToken ct)
    {
        var address = AuthFailureLimiter.AddressKey(remote);
        var userKey = AuthFailureLimiter.UserKey(username);
        if (limiter.RetryAfter(address, userKey) is { } wait)
        {
            return new PasswordSignInResult(null, wait);
        }
        var principal = await authenticator.AuthenticatePasswordAsync(username, password, ct).ConfigureAwait(false);
        if (principal is null || principal.IsRouter)
        {
            limiter.RecordFailure(address, userKey);
            return new PasswordSignInResult(null, null);
        }
        limiter.RecordSuccess(address, userKey);
        TokenCreated created = await identity.IssueLoginTokenAsync(principal, $"{purpose} from {remote}", ct).ConfigureAwait(false);
        return new PasswordSignInResult(created, null);
    }
}
