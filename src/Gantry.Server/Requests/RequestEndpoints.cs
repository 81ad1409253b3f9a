using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Model.Api;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Contracts.Routes;
using Gantry.Server.Routing;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Gantry.Model.Api.Identity;
using Gantry.Server.Auth;

namespace Gantry.Server.Requests;

/// <summary>Request reporting: routers post what they forwarded; the CLI reads an app's slowest requests and per-route stats.</summary>
public static class RequestEndpoints
{
    /// <summary>More than a router ever sends in one batch (it caps at 2,000); larger bodies are refused, not buffered.</summary>
    public const int MaxBatch = 10_000;

    private const int MaxResults = 5000;

    public static IEndpointRouteBuilder MapRequestEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/router/requests", IngestAsync).WithTags("router").WithName("ReportRequests").Access(AccessKind.Router);
        routes.MapGet("/api/v1/apps/{app}/requests", ListAsync).WithTags("apps").WithName("ListRequests").Access(AccessKind.App);
        routes.MapGet("/api/v1/routes/stats", StatsAsync).WithTags("routes").WithName("RouteStats").Access(AccessKind.AnyUser);
        return routes;
    }

    private static async Task<IResult> IngestAsync(HttpContext context, RequestLog log, Metrics.RequestTally tally, Routing.RouteTablePublisher routes)
    {
        var (batch, bad) = await ApiResults.ReadJsonAsync(context, RequestReportJsonContext.Default.RequestReportBatch, "a request report batch", context.RequestAborted);
        if (bad is not null)
        {
            return bad;
        }

        if (batch is null)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", "the body is JSON null; send {\"requests\": [...]}");
        }

        if (batch.Requests.Count > MaxBatch)
        {
            return ApiResults.Problem(StatusCodes.Status413PayloadTooLarge, "Batch too large",
                $"{batch.Requests.Count} requests in one batch; send at most {MaxBatch}");
        }

        // Requests no replica answered (none available, or the replica's destination left the table before
        // the report) still belong to their app and service: the cluster says whose they were.
        var reports = batch.Requests.Select(r => r.App is null && r.ClusterId is { } cluster && routes.OwnerOf(cluster) is { } owner
            ? r with { App = owner.App, Service = owner.Service }
            : r).ToList();
        log.Add(reports);
        tally.Add(reports);
        return Results.NoContent();
    }

    private static async Task<IResult> ListAsync(string app, int? slowest, int? limit, RequestLog log, IResourceStore store, CancellationToken ct)
    {
        if (slowest is < 1 or > MaxResults)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", $"slowest={slowest} is out of range; use 1 to {MaxResults}");
        }

        if (limit is < 1 or > MaxResults)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", $"limit={limit} is out of range; use 1 to {MaxResults}");
        }

        if (!log.HasApp(app) && await store.GetAsync(AppKinds.App, app, ct) is null)
        {
            return ApiResults.NotFound($"app '{app}' does not exist");
        }

        var reports = slowest is { } n ? log.Slowest(app, n) : log.Newest(app, limit ?? 100);
        IReadOnlyList<RequestView> views = [.. reports.Select(ToView)];
        return Results.Json(views, ApiJsonContext.Default.IReadOnlyListRequestView);
    }

    /// <summary>Every route an admin may see; for anyone else the routes of their teams' apps only.</summary>
    private static async Task<IResult> StatsAsync(HttpContext context, RouteTablePublisher publisher, RequestLog log, Gantry.Store.IResourceStore store, CancellationToken ct)
    {
        await publisher.Ready.WaitAsync(ct);
        var caller = context.Principal();
        var visible = caller.IsAdmin ? null
            : (await Gantry.Controllers.Apps.AppStoreExtensions.ListOtherAppsAsync(store, null, ct))
                .Where(a => caller.RoleIn(a.Spec.TeamName) is not null).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var stats = RouteStats(publisher.Current, log, app => visible is null || app is not null && visible.Contains(app));
        return Results.Json(stats, ApiJsonContext.Default.IReadOnlyListRouteStatsView);
    }

    /// <summary>Each route of <paramref name="table"/> whose app <paramref name="show"/> accepts, with its traffic so far.</summary>
    public static IReadOnlyList<RouteStatsView> RouteStats(RouteTableSpec table, RequestLog log, Func<string?, bool> show)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(show);
        var clusters = table.Clusters.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var stats = new List<RouteStatsView>(table.Routes.Count);
        foreach (var route in table.Routes)
        {
            var view = ToStats(route, clusters.GetValueOrDefault(route.ClusterId), log);
            if (show(view.App))
            {
                stats.Add(view);
            }
        }
        return stats;
    }

    private static RouteStatsView ToStats(RouteSpec route, ClusterSpec? cluster, RequestLog log)
    {
        var traffic = log.Route(route.Id);
        var labels = cluster?.Destinations.FirstOrDefault()?.Labels;
        var app = labels?.GetValueOrDefault("app") ?? traffic?.App;
        var service = labels?.GetValueOrDefault("service") ?? traffic?.Service;
        var latency = app is null ? null : log.Latency(app, route.Id);
        return new RouteStatsView(route.Id, route.Entrypoint, route.Hosts, traffic?.Requests ?? 0)
        {
            PathPrefix = route.PathPrefix,
            App = app,
            Service = service,
            Destinations = cluster?.Destinations.Count ?? 0,
            Status2xx = traffic?.Status2xx ?? 0,
            Status3xx = traffic?.Status3xx ?? 0,
            Status4xx = traffic?.Status4xx ?? 0,
            Status5xx = traffic?.Status5xx ?? 0,
            P50Ms = latency is { } l ? Ms(l.P50) : null,
            P99Ms = latency is { } m ? Ms(m.P99) : null,
        };
    }

    public static RequestView ToView(RequestReport r) => new(r.Time, r.Method, r.Host, r.Path, r.Status, r.Outcome.ToString(), Ms(r.TotalMicroseconds))
    {
        Entrypoint = r.Entrypoint,
        RouteId = r.RouteId,
        Service = r.Service,
        Replica = r.Replica,
        Attempts = r.Attempts,
        BytesIn = r.BytesIn,
        BytesOut = r.BytesOut,
        TraceId = r.TraceId,
        RequestId = r.RequestId,
        Error = r.Error,
        RouteMs = Ms(r.RouteMicroseconds),
        HeldMs = Ms(r.HeldMicroseconds),
        WaitMs = Ms(r.WaitMicroseconds),
        ConnectMs = r.ConnectMicroseconds < 0 ? null : Ms(r.ConnectMicroseconds),
        UpstreamMs = Ms(r.UpstreamHeadersMicroseconds),
        BodyMs = Ms(r.BodyMicroseconds),
    };

    private static double Ms(long microseconds) => Math.Round(microseconds / 1000.0, 3);
}
