using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gantry.Registry.Auth;

/// <summary>
/// Checks a user name and password for the token endpoint and for direct Basic auth through the
/// <see cref="AuthFailureLimiter"/>: refused with a wait when the address or user is locked out, logged
/// (user and address, never the password) and counted when wrong.
/// </summary>
/// <remarks>
/// The user lock does not apply to loopback callers: the host's own engine pulls as a fixed user name, and
/// someone guessing that name from elsewhere must not lock the host out of its own registry.
/// </remarks>
public sealed class CredentialCheck(IRegistryCredentialValidator validator, AuthFailureLimiter limiter, ILogger<CredentialCheck> logger)
{
    /// <summary>The principal, or null with the seconds to wait (locked out) or null (wrong credentials).</summary>
    public async ValueTask<(RegistryPrincipal? Principal, int? RetryAfterSeconds)> CheckAsync(HttpContext context, string user, string secret, string where)
    {
        IPAddress? remote = context.Connection.RemoteIpAddress;
        string address = AuthFailureLimiter.AddressKey(remote);
        string userKey = AuthFailureLimiter.UserKey(user);
        bool loopback = remote is not null && IPAddress.IsLoopback(remote);
        if (limiter.RetryAfter(address, loopback ? null : userKey) is { } wait)
        {
            return (null, (int)Math.Ceiling(wait.TotalSeconds));
        }

        RegistryPrincipal? principal = await validator.ValidateAsync(user, secret, context.RequestAborted).ConfigureAwait(false);
        if (principal is not null)
        {
            limiter.RecordSuccess(address, userKey);
            return (principal, null);
        }

        string printable = AuthLog.Printable(user);
        string shownAddress = remote?.ToString() ?? "unknown";
        AuthLog.Rejected(logger, printable, shownAddress, where);
        if (limiter.RecordFailure(address, userKey))
        {
            AuthLog.LockedOut(logger, printable, shownAddress, limiter.Window.TotalSeconds);
        }
        return (null, null);
    }

    /// <summary>Sets Retry-After and returns the OCI error a locked-out caller gets.</summary>
    public static Content.RegistryError TooManyRequests(HttpContext context, int seconds)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return new Content.RegistryError(429, "TOOMANYREQUESTS", $"too many failed logins from this address or for this user; try again in {seconds} s");
    }
}
