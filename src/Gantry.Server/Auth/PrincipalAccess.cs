using Gantry.Server.Identity;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Auth;

/// <summary>The caller <see cref="AccessMiddleware"/> authenticated, for the endpoints that filter or decide by it.</summary>
public static class PrincipalAccess
{
    private static readonly object Key = new();

    public static Principal Principal(this HttpContext context) =>
        context.Items[Key] as Principal ?? throw new InvalidOperationException("no caller was authenticated for this request: the endpoint is public, so it cannot ask who called");

    public static Principal? PrincipalOrNull(this HttpContext context) => context.Items[Key] as Principal;

    internal static void SetPrincipal(this HttpContext context, Principal principal) => context.Items[Key] = principal;
}
