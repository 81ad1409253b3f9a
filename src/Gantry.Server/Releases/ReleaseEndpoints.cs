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
    public static IEndpointRouteBuilder MapReleaseEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/apps/{app}/releases", ListAsync).WithTags("releases").WithName("ListReleases").Access(AccessKind.App);
        routes.MapGet("/api/v1/apps/{app}/releases/{number:long}", GetAsync).WithTags("releases").WithName("GetRelease").Access(AccessKind.App);
        routes.MapPost("/api/v1/apps/{app}/rollback", RollbackAsync).WithTags("releases").WithName("Rollback").Access(AccessKind.App, Role.Deployer);
        routes.MapPost("/api/v1/router/status", ReportAsync).WithTags("router").WithName("ReportRouterStatus").Access(AccessKind.Router);
        return routes;
    }

    private static async Task<IResult> ListAsync(string app, IResourceStore store, ReleaseBook book, CancellationToken ct)
    {
        var current = await CurrentReleaseAsync(store, app, ct);
        if (current is null)
        {
            return ApiResults.NotFound($"app '{app}' does not exist");
        }
        var views = (await book.ListAsync(app, ct)).Select(r => View(r, current.Value, null)).ToList();
        return Results.Json<IReadOnlyList<ReleaseView>>(views, ApiJsonContext.Default.IReadOnlyListReleaseView);
    }

    private static async Task<IResult> GetAsync(string app, long number, IResourceStore store, ReleaseBook book, CancellationToken ct)
    {
        var current = await CurrentReleaseAsync(store, app, ct);
        if (current is null)
        {
            return ApiResults.NotFound($"app '{app}' does not exist");
        }
        var release = await book.GetAsync(app, number, ct);
        if (release is null)
        {
            return ApiResults.NotFound($"app '{app}' has no release {number}; 'gantry releases {app}' lists them");
        }
        // The diff is against the release made just before it (that is what it changed).
        var previous = (await book.ListAsync(app, ct)).FirstOrDefault(r => r.Record.Number < number);
        var changes = ReleaseDiff.Compute(previous?.Record.Spec, release.Record.Spec);
        return Results.Json(View(release, current.Value, changes), ApiJsonContext.Default.ReleaseView);
    }

    private static async Task<IResult> RollbackAsync(string app, HttpContext context, ReleaseService releases, IResourceStore store, CancellationToken ct)
    {
        RollbackRequest? request = new();
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                request = await JsonSerializer.DeserializeAsync(context.Request.Body, ApiJsonContext.Default.RollbackRequest, ct);
            }
            catch (JsonException e)
            {
                return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", $"the body is not a rollback request ({{\"to\": 3}} or empty), {ApiResults.Where(e)}");
            }
        }
        if (request?.To is <= 0)
        {
            return ApiResults.Problem(StatusCodes.Status422UnprocessableEntity, "Invalid rollback", $"release {request.To} does not exist; releases are numbered from 1");
        }
        var newest = await store.ListEventsAsync(new EventQuery { App = app, Newest = true, Limit = 1 }, ct);
        var cursor = newest.Count > 0 ? newest[^1].Id : 0;
        var outcome = await releases.RollbackAsync(app, request?.To, ReleaseCauses.Rollback, "admin", null, ct);
        return ApiResults.FromOutcome(outcome, "Rollback", "Invalid rollback",
            response => Results.Json(response with { EventCursor = cursor }, ApiJsonContext.Default.RollbackResponse, statusCode: StatusCodes.Status202Accepted));
    }

    private static async Task<IResult> ReportAsync(HttpContext context, RouterFleet fleet)
    {
        RouterStatusReport? report;
        try
        {
            report = await JsonSerializer.DeserializeAsync(context.Request.Body, RouterStatusJsonContext.Default.RouterStatusReport, context.RequestAborted);
        }
        catch (JsonException e)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", $"the body is not a router status report ({ApiResults.Where(e)})");
        }
        if (report is null || string.IsNullOrEmpty(report.Router))
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", "a router status report needs 'router' (the router's id)");
        }
        if (report.Leaving)
        {
            fleet.Forget(report.Router);
            return Results.NoContent();
        }
        fleet.Report(report.Router, report.TableVersion, (report.InFlight ?? []).Select(d => KeyValuePair.Create(d.DestinationId, d.Count)), report.Unready ?? []);
        return Results.NoContent();
    }

    private static async Task<long?> CurrentReleaseAsync(IResourceStore store, string app, CancellationToken ct)
    {
        return (await store.GetAppAsync(app, ct))?.Spec.Release;
    }

    private static ReleaseView View(StoredRelease release, long current, IReadOnlyList<ReleaseChange>? changes) =>
        new(release.Record.App, release.Record.Number)
        {
            Cause = release.Record.Cause,
            RollbackOf = release.Record.RollbackOf,
            CreatedAt = release.Record.CreatedAt,
            CreatedBy = release.Record.CreatedBy,
            Phase = release.State.Phase,
            Current = release.Record.Number == current,
            LiveAt = release.State.LiveAt,
            EndedAt = release.State.EndedAt,
            Message = release.Record.Message,
            Reason = release.State.Reason,
            Commit = release.Record.Source?.Commit,
            Branch = release.Record.Source?.Branch,
            Author = release.Record.Source?.Author,
            Services = release.Record.Spec.Services.Select(s => new ReleaseServiceView(s.Name, s.Image ?? (s.Build is null ? null : "(built)"),
                release.State.ImageIds.GetValueOrDefault(s.Name) ?? s.PinnedImage, s.Replicas,
                (s.Release?.Strategy ?? ReleaseStrategy.Rolling) switch { ReleaseStrategy.BlueGreen => "blue-green", ReleaseStrategy.Recreate => "recreate", _ => "rolling" })).ToList(),
            Changes = changes,
        };
}
