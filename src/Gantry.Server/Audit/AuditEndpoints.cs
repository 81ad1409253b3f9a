using Gantry.Model.Api.Identity;
using Gantry.Server.Auth;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Audit;

/// <summary>`GET /api/v1/audit`: the newest changes, for admins, filtered by actor, team, action, app and time, in pages
/// (`before=ID`: the entries older than the oldest one of the page before).</summary>
public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/audit", ListAsync).WithTags("audit").WithName("ListAudit").Access(AccessKind.Admin);

    private static async Task<IResult> ListAsync(IAuditLog audit, string? actor, string? team, string? action, string? app, DateTimeOffset? since, DateTimeOffset? until, long? before, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 10_000)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", $"limit={limit}: use 1 to 10000");
        }
        var entries = await audit.ListAuditAsync(new AuditQuery
        {
            Actor = actor,
            Team = team,
            Action = action,
            Target = app is null ? null : AppTarget(app),
            Since = since,
            Until = until,
            BeforeId = before,
            Limit = limit ?? 100,
        }, ct).ConfigureAwait(false);
        return Results.Json<IReadOnlyList<AuditEntryView>>(
            entries.Select(ToView).ToList(),
            Gantry.Model.Api.ApiJsonContext.Default.IReadOnlyListAuditEntryView);
    }

    public static AuditEntryView ToView(AuditRecord e) => new(e.Id, e.Time, e.Actor, e.Address, e.Action, e.Target, e.Status, e.Outcome) { Team = e.Team };

    /// <summary>How the audit middleware names an app as the target of a change.</summary>
    public static string AppTarget(string app) => $"app {app}";
}
