using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gantry.Model.Api;
using Gantry.Registry.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Auth;

/// <summary>
/// Bearer-token gate for the API: nobody gets in without a token. Only /healthz is open; the registry
/// (/v2) runs its own Docker token flow. Tokens are compared as SHA-256 hashes in constant time.
/// </summary>
/// <remarks>
/// A wrong token is logged with the caller's address (never the token) and counted by the
/// <see cref="AuthFailureLimiter"/> the registry shares; an address over the limit gets 429 with
/// Retry-After before its token is even looked at. A request with no token is not a guess and is not counted.
/// </remarks>
public sealed class TokenAuthentication(RequestDelegate next, byte[] adminTokenHash, AuthFailureLimiter limiter, ILogger<TokenAuthentication> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/healthz") || path.StartsWithSegments("/v2"))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            await UnauthorizedAsync(context, "this endpoint needs a token: send 'Authorization: Bearer <token>' (the admin token is in the server's data directory, file admin-token; 'gantry login' stores it)").ConfigureAwait(false);
            return;
        }

        var address = AuthFailureLimiter.AddressKey(context.Connection.RemoteIpAddress);
        if (limiter.RetryAfter(address) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await ApiResults.WriteProblemAsync(context, new ApiProblem("https://gantry.dev/errors/too-many-requests", "Too many requests", StatusCodes.Status429TooManyRequests)
            {
                Detail = $"too many failed authentications from this address; try again in {seconds} s",
            }).ConfigureAwait(false);
            return;
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(header[7..].Trim()))
        {
            limiter.RecordSuccess(address);
            await next(context).ConfigureAwait(false);
            return;
        }

        var lockedOut = limiter.RecordFailure(address);
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        AuthLog.ApiTokenRejected(logger, remote, context.Request.Method, path.Value ?? "");
        if (lockedOut)
        {
            AuthLog.AddressLockedOut(logger, remote, limiter.MaxFailures, limiter.Window.TotalSeconds);
        }
        await UnauthorizedAsync(context, "the token is not valid for this server").ConfigureAwait(false);
    }

    private static Task UnauthorizedAsync(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"gantry\"";
        return ApiResults.WriteProblemAsync(context, new ApiProblem("https://gantry.dev/errors/unauthorized", "Unauthorized", StatusCodes.Status401Unauthorized) { Detail = detail });
    }

    private bool Matches(string token) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), adminTokenHash);

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
