using Gantry.Controllers.Apps;
using Gantry.Model.Api;
using Gantry.Server.Auth;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Metrics;

/// <summary>`GET /api/v1/apps/{app}/metrics`: the app's metrics history, for anyone with a role in the app's team.</summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/apps/{app}/metrics", QueryAsync).WithTags("apps").WithName("AppMetrics").Access(AccessKind.App);
        return routes;
    }

    private static async Task<IResult> QueryAsync(string app, string? service, string? since, string? step, MetricsStore metrics, IResourceStore store, TimeProvider time, CancellationToken ct)
    {
        var (query, error) = MetricsQuery.Parse(since, step);
        if (query is null)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", error);
        }
        if (service is { Length: 0 })
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", "service= is empty; name a service of the app, or leave the parameter out for all of them");
        }
        if (await store.GetAsync(AppKinds.App, app, ct) is null)
        {
            return ApiResults.NotFound($"app '{app}' does not exist");
        }
        var start = query.Start(time.GetUtcNow());
        var series = metrics.Query(app, service, start, query.Step);
        return Results.Json(query.ToView(app, start, series), ApiJsonContext.Default.AppMetricsView);
    }
}
