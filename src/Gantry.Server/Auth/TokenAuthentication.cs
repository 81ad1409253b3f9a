using System.Security.Cryptography;
using System.Text;
using Gantry.Model.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Auth;

/// <summary>
/// Bearer-token gate for the API: nobody gets in without a token. Only /healthz is open; the registry
/// (/v2) runs its own Docker token flow. Tokens are compared as SHA-256 hashes in constant time.
/// </summary>
public sealed class TokenAuthentication(RequestDelegate next, byte[] adminTokenHash)
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
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(header[7..].Trim()))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"gantry\"";
        await ApiResults.WriteProblemAsync(context, new ApiProblem("https://gantry.dev/errors/unauthorized", "Unauthorized", StatusCodes.Status401Unauthorized)
        {
            Detail = header.Length == 0
                ? "this endpoint needs a token: send 'Authorization: Bearer <token>' (the admin token is in the server's data directory, file admin-token; 'gantry login' stores it)"
                : "the token is not valid for this server",
        }).ConfigureAwait(false);
    }

    private bool Matches(string token) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), adminTokenHash);

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
