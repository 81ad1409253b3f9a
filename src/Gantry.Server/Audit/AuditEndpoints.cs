using Gantry.Model.Api.Identity;
using Gantry.Server.Auth;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Audit;

/// <summary>`GET /api/v1/audit`: the newest changes, for admins, filtered by actor, team and time.</summary>
public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/audit", ListAsync).WithTags("audit").WithName("ListAudit").Access(AccessKind.Admin);

    private static async Task<IResult> ListAsync(IAuditLog audit, string? actor, string? team, DateTimeOffset? since, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 10_000)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", $"limit={limit}: use 1 to 10000");
        }
        var entries = await audit.ListAuditAsync(new AuditQuery { Actor = actor, Team = team, Since = since, Limit = limit ?? 100 }, ct).ConfigureAwait(false);
        return Results.Json<IReadOnlyList<AuditEntryView>>(
            entries.Select(e => new AuditEntryView(e.Id, e.Time, e.Actor, e.Address, e.Action, e.Target, e.Status, e.Outcome) { Team = e.Team }).ToList(),
            Gantry.Model.Api.ApiJsonContext.Default.IReadOnlyListAuditEntryView);
    }
}
