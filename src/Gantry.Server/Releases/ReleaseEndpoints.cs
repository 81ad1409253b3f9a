using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Model;
using Gantry.Router.Contracts.Status;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Gantry.Model.Api.Identity;
using Gantry.Server.Auth;

namespace Gantry.Server.Releases;

/// <summary>Releases (`/api/v1/apps/{app}/releases`, `/rollback`) and the routers' status reports (`/api/v1/router/status`).</summary>
public static class ReleaseEndpoints
{
    /// <summary>The words a refused rollback answers with (the console shows the same ones).</summary>
    internal const string RollbackVerb = "Rollback";

    internal const string InvalidRollbackTitle = "Invalid rollback";

    public static IEndpointRouteBuilder MapReleaseEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/apps/{app}/releases", ListAsync).WithTags("releases").WithName("ListReleases").Access(AccessKind.App);
        routes.MapGet("/api/v1/apps/{app}/releases/{number:long}", GetAsync).WithTags("releases").WithName("GetRelease").Access(AccessKind.App);
        routes.MapGet("/api/v1/apps/{app}/rollback", PreviewRollbackAsync).WithTags("releases").WithName("PreviewRollback").Access(AccessKind.App, Role.Deployer);
        routes.MapPost("/api/v1/apps/{app}/rollback", RollbackAsync).WithTags("releases").WithName("Rollback").Access(AccessKind.App, Role.Deployer);
        routes.MapPost("/api/v1/router/status", ReportAsync).WithTags("router").WithName("ReportRouterStatus").Access(AccessKind.Router);
        return routes;
    }

    private static async Task<IResult> ListAsync(string app, ReleaseQuery query, CancellationToken ct) =>
        await query.ListAsync(app, withChanges: false, ct) is { } views
            ? Results.Json(views, ApiJsonContext.Default.IReadOnlyListReleaseView)
            : ApiResults.NotFound($"app '{app}' does not exist");

    private static async Task<IResult> GetAsync(string app, long number, ReleaseQuery query, CancellationToken ct) =>
        await query.GetAsync(app, number, ct) switch
        {
            (false, _) => ApiResults.NotFound($"app '{app}' does not exist"),
            (_, null) => ApiResults.NotFound($"app '{app}' has no release {number}; 'gantry releases {app}' lists them"),
            (_, { } release) => Results.Json(release, ApiJsonContext.Default.ReleaseView),
        };

    /// <summary>What a rollback would do now (`gantry rollback --dry-run`, the console's confirmation): nothing is written.</summary>
    private static async Task<IResult> PreviewRollbackAsync(string app, long? to, ReleaseService releases, CancellationToken ct)
    {
        if (to is <= 0)
        {
            return ApiResults.Problem(StatusCodes.Status422UnprocessableEntity, InvalidRollbackTitle, $"release {to} does not exist; releases are numbered from 1");
        }
        var outcome = await releases.PreviewRollbackAsync(app, to, ct);
        return ApiResults.FromOutcome(outcome, RollbackVerb, InvalidRollbackTitle, preview => Results.Json(preview, ApiJsonContext.Default.RollbackPreview));
    }

    private static async Task<IResult> RollbackAsync(string app, HttpContext context, ReleaseService releases, ReleaseBook book, IResourceStore store, CancellationToken ct)
    {
        RollbackRequest? request = new();
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            (request, var bad) = await ApiResults.ReadJsonAsync(context, ApiJsonContext.Default.RollbackRequest, "a rollback request ({\"to\": 3} or empty)", ct);
            if (bad is not null)
            {
                return bad;
            }
        }
        if (request?.To is <= 0)
        {
            return ApiResults.Problem(StatusCodes.Status422UnprocessableEntity, "Invalid rollback", $"release {request.To} does not exist; releases are numbered from 1");
        }
        if (request?.Commit is { } commit)
        {
            if (request.To is not null)
            {
                return ApiResults.Problem(StatusCodes.Status422UnprocessableEntity, InvalidRollbackTitle, "give either a release number (to) or a commit, not both");
            }
            var (number, error) = ReleaseByCommit.Find(app, (await book.ListAsync(app, ct)).Select(r => r.Record), commit);
            if (error is not null)
            {
                return ApiResults.Problem(StatusCodes.Status422UnprocessableEntity, InvalidRollbackTitle, error);
            }
            request = request with { To = number, Commit = null };
        }
        var newest = await store.ListEventsAsync(new EventQuery { App = app, Newest = true, Limit = 1 }, ct);
        var cursor = newest.Count > 0 ? newest[^1].Id : 0;
        var outcome = await releases.RollbackAsync(app, request?.To, ReleaseCauses.Rollback, context.Principal().Name, null, ct);
        return ApiResults.FromOutcome(outcome, RollbackVerb, InvalidRollbackTitle,
            response => Results.Json(response with { EventCursor = cursor }, ApiJsonContext.Default.RollbackResponse, statusCode: StatusCodes.Status202Accepted));
    }

    private static async Task<IResult> ReportAsync(HttpContext context, RouterFleet fleet, Alerts.RouterCertificates certificates)
    {
        var (report, bad) = await ApiResults.ReadJsonAsync(context, RouterStatusJsonContext.Default.RouterStatusReport, "a router status report", context.RequestAborted);
        if (bad is not null)
        {
            return bad;
        }
        if (report is null || string.IsNullOrEmpty(report.Router))
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", "a router status report needs 'router' (the router's id)");
        }
        if (report.Leaving)
        {
            fleet.Forget(report.Router);
            certificates.Forget(report.Router);
            return Results.NoContent();
        }
        fleet.Report(report.Router, report.TableVersion, (report.InFlight ?? []).Select(d => KeyValuePair.Create(d.DestinationId, d.Count)), report.Unready ?? []);
        certificates.Report(report.Router, report.Certificates);
        return Results.NoContent();
    }
}
