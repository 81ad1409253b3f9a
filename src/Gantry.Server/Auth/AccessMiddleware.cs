using System.Globalization;
using Gantry.Console;
using Gantry.Controllers.Apps;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Registry.Auth;
using Gantry.Server.Identity;
using Gantry.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Auth;

/// <summary>
/// Nobody gets in without a token, and nobody does more than their role: runs after routing, authenticates the bearer
/// token into a <see cref="Principal"/>, and checks it against the endpoint's <see cref="AccessRule"/> (none = admins only).
/// The registry (/v2) runs its own Docker token flow over the same users, and the git remote (/git, <see cref="AccessKind.Git"/>)
/// its own HTTP Basic check; the console's pages (and any path outside /api, /v2, /git and /healthz that matches no
/// endpoint) are left to the console's cookie session. The API never reads that
/// cookie, so it stays bearer-only.
/// </summary>
/// <remarks>
/// A wrong token is logged with the caller's address (never the token) and counted by the <see cref="AuthFailureLimiter"/>
/// the registry and sign-in share; an address over the limit gets 429 with Retry-After before its token is looked at.
/// An app of a team the caller has no role in answers 404, exactly like an app that does not exist: its name is
/// none of the caller's business. A role too low for the action answers 403 and says which role it needs.
/// </remarks>
public sealed class AccessMiddleware(RequestDelegate next, Authenticator authenticator, IResourceStore store, AuthFailureLimiter limiter, ILogger<AccessMiddleware> logger)
{
    private static readonly AccessRule AdminOnly = new(AccessKind.Admin);

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var endpoint = context.GetEndpoint();
        if (path.StartsWithSegments("/v2") || IsConsole(path, endpoint))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var rule = endpoint?.Metadata.GetMetadata<AccessRule>() ?? (endpoint is null ? null : AdminOnly);
        if (rule?.Kind is AccessKind.Public or AccessKind.Git)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var principal = await AuthenticateAsync(context).ConfigureAwait(false);
        if (principal is null)
        {
            return;
        }
        context.SetPrincipal(principal);
        if (rule is null)
        {
            // No endpoint matched: the 404 is the same for everyone who got in.
            await next(context).ConfigureAwait(false);
            return;
        }
        if (await DenyAsync(context, principal, rule).ConfigureAwait(false) is { } problem)
        {
            await ApiResults.WriteProblemAsync(context, problem).ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    /// <summary>A console endpoint by its marker, never by its path alone: an endpoint outside /api that nobody opened stays closed.</summary>
    private static bool IsConsole(PathString path, Endpoint? endpoint) =>
        endpoint is null ? ConsolePaths.IsConsole(path) : endpoint.Metadata.GetMetadata<ConsoleEndpoint>() is not null;

    private async Task<Principal?> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            await UnauthorizedAsync(context, "this endpoint needs a token: send 'Authorization: Bearer <token>' ('gantry login' stores one; the admin token is in the server's data directory, file admin-token)").ConfigureAwait(false);
            return null;
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
            return null;
        }
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && await authenticator.AuthenticateTokenAsync(header[7..].Trim(), context.RequestAborted).ConfigureAwait(false) is { } principal)
        {
            limiter.RecordSuccess(address);
            return principal;
        }
        var lockedOut = limiter.RecordFailure(address);
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        AuthLog.ApiTokenRejected(logger, remote, context.Request.Method, context.Request.Path.Value ?? "");
        if (lockedOut)
        {
            AuthLog.AddressLockedOut(logger, remote, limiter.MaxFailures, limiter.Window.TotalSeconds);
        }
        await UnauthorizedAsync(context, "the token is not valid for this server (unknown, expired or revoked)").ConfigureAwait(false);
        return null;
    }

    private async Task<ApiProblem?> DenyAsync(HttpContext context, Principal principal, AccessRule rule)
    {
        switch (rule.Kind)
        {
            case AccessKind.AnyUser:
                return principal.IsRouter ? Forbidden("the routers' token only reads the route feed and sends the routers' reports") : null;
            case AccessKind.Router:
                return principal.IsRouter || principal.IsAdmin ? null : Forbidden($"only the routers and admins may use this endpoint; you are {principal.Describe()}");
            case AccessKind.Admin:
                return principal.IsAdmin ? null : Forbidden($"only an admin may do this; you are {principal.Describe()}");
            default:
                if (principal.IsRouter)
                {
                    return Forbidden("the routers' token only reads the route feed and sends the routers' reports");
                }
                if (context.Request.RouteValues["app"] is not string app
                    || await Environments.EnvironmentInstances.TeamOfAsync(store, app, context.RequestAborted).ConfigureAwait(false) is not { } team)
                {
                    // A new app (a first deploy) is decided by the deploy itself, which knows the team asked for;
                    // anything else about a missing app is the endpoint's 404.
                    return null;
                }
                return AppAccess.Check(principal, app, team, rule.Role);
        }
    }

    private static ApiProblem Forbidden(string detail) => AppAccess.Forbidden(detail);

    private static Task UnauthorizedAsync(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"gantry\"";
        return ApiResults.WriteProblemAsync(context, new ApiProblem("https://gantry.dev/errors/unauthorized", "Unauthorized", StatusCodes.Status401Unauthorized) { Detail = detail });
    }
}
