using System.Globalization;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Builds;

/// <summary>`/api/v1/apps/{app}/builds...`: the app's builds and their kept logs (viewers), and cancel (deployers).</summary>
public static class BuildEndpoints
{
    public static IEndpointRouteBuilder MapBuildEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/apps/{app}/builds", ListAsync).WithTags("builds").WithName("ListBuilds").Access(AccessKind.App);
        routes.MapGet("/api/v1/apps/{app}/builds/{number}", GetAsync).WithTags("builds").WithName("GetBuild").Access(AccessKind.App);
        routes.MapGet("/api/v1/apps/{app}/builds/{number}/log", LogAsync).WithTags("builds").WithName("GetBuildLog").Access(AccessKind.App);
        routes.MapPost("/api/v1/apps/{app}/builds/{number}/cancel", CancelAsync).WithTags("builds").WithName("CancelBuild").Access(AccessKind.App, Role.Deployer);
        return routes;
    }

    private static async Task<IResult> ListAsync(string app, BuildService builds, CancellationToken ct) =>
        Results.Json(await builds.ListAsync(app, ct), ApiJsonContext.Default.IReadOnlyListBuildView);

    private static async Task<IResult> GetAsync(string app, string number, BuildService builds, CancellationToken ct)
    {
        if (Parse(number) is not { } n)
        {
            return BadNumber(number);
        }
        return await builds.GetAsync(app, n, ct) is { } view
            ? Results.Json(view, ApiJsonContext.Default.BuildView)
            : ApiResults.NotFound(await builds.DescribeMissingAsync(app, n, ct));
    }

    /// <summary>text/plain, flushed as it is read; `?follow=true` goes on until the build ends.</summary>
    private static async Task LogAsync(string app, string number, bool? follow, HttpContext context, BuildService builds)
    {
        var ct = context.RequestAborted;
        if (Parse(number) is not { } n)
        {
            await BadNumber(number).ExecuteAsync(context);
            return;
        }
        if (await builds.GetAsync(app, n, ct) is null)
        {
            await ApiResults.NotFound(await builds.DescribeMissingAsync(app, n, ct)).ExecuteAsync(context);
            return;
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        try
        {
            await foreach (var chunk in builds.ReadLogAsync(app, n, follow == true, ct))
            {
                await context.Response.Body.WriteAsync(chunk, ct);
                await context.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The reader left.
        }
    }

    private static async Task<IResult> CancelAsync(string app, string number, HttpContext context, BuildService builds, CancellationToken ct)
    {
        if (Parse(number) is not { } n)
        {
            return BadNumber(number);
        }
        var outcome = await builds.CancelAsync(app, n, context.Principal().Name, ct);
        return ApiResults.FromOutcome(outcome, "Cancel", "Invalid cancel", view => Results.Json(view, ApiJsonContext.Default.BuildView));
    }

    private static long? Parse(string number) =>
        long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : null;

    private static IResult BadNumber(string number) =>
        ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", $"'{number}' is not a build number: builds are numbered from 1 ('gantry builds APP' lists them)");
}
