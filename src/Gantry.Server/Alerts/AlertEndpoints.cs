using Gantry.Controllers.Apps;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Server.Auth;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Alerts;

/// <summary>`GET /api/v1/alerts`: firing alerts, then recently resolved ones; each user sees their teams' apps' alerts and the installation's.</summary>
public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/alerts", ListAsync).WithTags("alerts").WithName("ListAlerts").Access(AccessKind.AnyUser);
        return routes;
    }

    private static async Task<IResult> ListAsync(HttpContext context, AlertController alerts, IResourceStore store, CancellationToken ct)
    {
        var principal = context.Principal();
        var all = alerts.List();
        IReadOnlyList<AlertView> visible = all;
        if (!principal.IsAdmin)
        {
            var teams = (await store.ListOtherAppsAsync(null, ct)).ToDictionary(a => a.Name, a => a.Spec.TeamName, StringComparer.Ordinal);
            visible = [.. all.Where(a => a.App is null || (teams.TryGetValue(a.App, out var team) && principal.Can(team, Role.Viewer)))];
        }
        return Results.Json(visible, ApiJsonContext.Default.IReadOnlyListAlertView);
    }
}
