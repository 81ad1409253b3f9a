using Gantry.Console;
using Gantry.Controllers.Apps;
using Gantry.Server.Auth;
using Gantry.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Audit;

/// <summary>
/// Keeps every change made through the API or the console (sign-ins and sign-outs included) in the audit log: who (the authenticated user, or the name a sign-in tried),
/// from where, what (method and path, and the object named by the route), and the outcome (status). Reads are not
/// changes and are not kept; neither are the routers' reports (machine traffic every few seconds, which would make the
/// log grow at rest) nor requests that never authenticated (counted by the failure limiter and logged instead).
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, IAuditLog audit, IResourceStore store, ILogger<AuditMiddleware> logger)
{
    private static readonly object ActorKey = new();
    private static readonly object OutcomeKey = new();

    /// <summary>Names the actor of a request that has no authenticated caller (a sign-in attempt names the user it tried).</summary>
    public static void SetActor(HttpContext context, string actor) => context.Items[ActorKey] = actor;

    /// <summary>Says what came of a request whose status does not (a git push answers 200 even when its hook refused it).</summary>
    public static void SetOutcome(HttpContext context, string outcome) => context.Items[OutcomeKey] = outcome;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsChange(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            await RecordAsync(context).ConfigureAwait(false);
        }
    }

    private static bool IsChange(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        && (request.Path.StartsWithSegments("/api/v1") && !request.Path.StartsWithSegments("/api/v1/router")
            || ConsolePaths.IsConsole(request.Path)
            // A git push is a change; a fetch (upload-pack) is a read, and the push hook's call is part of its push.
            || request.Path.StartsWithSegments("/git") && request.Path.Value!.EndsWith("/git-receive-pack", StringComparison.Ordinal));

    private async Task RecordAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var actor = context.PrincipalOrNull()?.Name ?? context.Items[ActorKey] as string;
        if (actor is null)
        {
            return;
        }
        var values = context.Request.RouteValues;
        string? team = null;
        var target = "";
        if (values["app"] is string app)
        {
            target = AuditEndpoints.AppTarget(app);
            team = (await store.GetAppAsync(app, CancellationToken.None).ConfigureAwait(false))?.Spec.TeamName;
        }
        else if (values["user"] is string user)
        {
            target = $"user {user}";
        }
        else if (values["team"] is string named)
        {
            target = $"team {named}";
            team = named;
        }
        else if (values["image"] is string image)
        {
            target = $"image {image}";
            team = Registry.RegistryService.TeamOf(image);
        }
        else if (values["id"] is string id)
        {
            target = $"token {id}";
        }
        var entry = new NewAuditRecord(
            actor,
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            $"{context.Request.Method} {context.Request.Path}",
            target,
            team,
            status,
            context.Items[OutcomeKey] as string
                ?? (context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? "client went away" : ReasonPhrases.GetReasonPhrase(status)));
        try
        {
            await audit.AppendAuditAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreException or IOException or InvalidOperationException)
        {
            // The change itself is done or refused; losing its audit line is logged, never turned into a failed request.
            AuditLog.AppendFailed(logger, entry.Action, entry.Actor, e);
        }
    }
}
