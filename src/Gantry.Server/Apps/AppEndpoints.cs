using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Engine;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Gantry.Model.Api.Identity;
using Gantry.Server.Auth;

namespace Gantry.Server.Apps;

/// <summary>The /api/v1/apps group: deploy, inspect, scale, remove, events and logs.</summary>
public static class AppEndpoints
{
    public static RouteGroupBuilder MapAppEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/apps").WithTags("apps");
        group.MapGet("/", ListAsync).WithName("ListApps").Access(AccessKind.AnyUser);
        group.MapGet("/{app}", GetAsync).WithName("GetApp").Access(AccessKind.App);
        group.MapPut("/{app}", DeployAsync).WithName("DeployApp").DisableAntiforgery().Access(AccessKind.App, Role.Deployer);
        group.MapDelete("/{app}", DeleteAsync).WithName("RemoveApp").Access(AccessKind.App, Role.Deployer);
        group.MapPost("/{app}/scale", ScaleAsync).WithName("ScaleApp").Access(AccessKind.App, Role.Deployer);
        group.MapGet("/{app}/replicas", ReplicasAsync).WithName("ListReplicas").Access(AccessKind.App);
        group.MapGet("/{app}/events", EventsAsync).WithName("ListEvents").Access(AccessKind.App);
        group.MapGet("/{app}/logs", LogsAsync).WithName("StreamLogs").Access(AccessKind.App);
        return group;
    }

    private static async Task<IResult> ListAsync(HttpContext context, AppQuery query, CancellationToken ct) =>
        Results.Json(await query.ListAsync(context.Principal(), ct), ApiJsonContext.Default.IReadOnlyListAppSummary);

    /// <summary>The access rule already answered 404 for another team's app; the query's own check agrees with it.</summary>
    private static async Task<IResult> GetAsync(string app, HttpContext context, AppQuery query, CancellationToken ct) =>
        await query.FindAsync(context.Principal(), app, ct) is { } detail
            ? Results.Json(detail, ApiJsonContext.Default.AppDetail)
            : ApiResults.NotFound($"app '{app}' does not exist");

    private static async Task<IResult> DeployAsync(string app, HttpContext context, BundleDeployer deployer, ServerOptions options, CancellationToken ct)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxBundleBytes + (1 << 20);
        }
        if (!context.Request.HasFormContentType)
        {
            return ApiResults.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "send multipart/form-data with a 'request' part (DeployRequest JSON) and a 'bundle' part (tar.gz of the project directory)");
        }
        var form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = options.MaxBundleBytes }, ct);
        DeployRequest? request;
        try
        {
            // A 'request' part of JSON null is the default request, as a missing part is.
            request = (form.TryGetValue("request", out var json) ? JsonSerializer.Deserialize(json.ToString(), ApiJsonContext.Default.DeployRequest) : null) ?? new DeployRequest();
        }
        catch (JsonException e)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", $"the 'request' part is not valid DeployRequest JSON ({ApiResults.Where(e)})");
        }
        var bundle = form.Files.GetFile("bundle");
        if (bundle is null)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", "the 'bundle' part (tar.gz of the project directory) is missing");
        }

        await using var stream = bundle.OpenReadStream();
        var (response, problem) = await deployer.DeployAsync(app, request, stream, context.Principal(), ct);
        return problem is not null ? ApiResults.Problem(problem)
            : Results.Json(response!, ApiJsonContext.Default.DeployResponse, statusCode: request.DryRun ? 200 : 202);
    }

    private static async Task<IResult> ScaleAsync(string app, ScaleRequest request, DeployService deploys, CancellationToken ct) =>
        ToResult(await deploys.ScaleAsync(app, request.Replicas, ct));

    private static IResult ToResult(ChangeOutcome<DeployResponse> outcome) =>
        BundleDeployer.Problem(outcome) is { } problem ? ApiResults.Problem(problem) : Results.Json(outcome.Response!, ApiJsonContext.Default.DeployResponse, statusCode: 202);

    private static async Task<IResult> DeleteAsync(string app, IResourceStore store, CancellationToken ct)
    {
        if (await store.GetAsync(AppKinds.App, app, ct) is null)
        {
            return ApiResults.NotFound($"app '{app}' does not exist");
        }
        await store.RequestDeletionAsync(AppKinds.App, app, ct);
        return Results.Accepted($"/api/v1/apps/{app}");
    }

    private static async Task<IResult> ReplicasAsync(string app, IResourceStore store, IEngineDriver engine, CancellationToken ct)
    {
        var resource = await store.GetAsync(AppKinds.App, app, ct);
        if (resource is null)
        {
            return ApiResults.NotFound($"app '{app}' does not exist");
        }
        var (_, status) = AppQuery.Read(resource);
        var replicas = status.Services.SelectMany(s => s.Replicas).ToList();
        var views = await Task.WhenAll(replicas.Select(async r =>
        {
            ContainerUsage? usage = null;
            if (r.ContainerId is { } id && r.State == "running")
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    usage = await engine.GetUsageAsync(id, timeout.Token);
                }
                catch (Exception e) when (e is EngineException or OperationCanceledException && !ct.IsCancellationRequested)
                {
                    // Usage is best effort: the replica may have just stopped.
                }
            }
            return new ReplicaView(r) { CpuPercent = usage?.CpuPercent, MemoryUsageBytes = usage?.MemoryUsageBytes };
        }));
        return Results.Json<IReadOnlyList<ReplicaView>>(views, ApiJsonContext.Default.IReadOnlyListReplicaView);
    }

    private static async Task EventsAsync(string app, HttpContext context, IResourceStore store, long? after, int? limit, bool? follow)
    {
        var query = new EventQuery { App = app, AfterId = after ?? 0, Limit = Math.Clamp(limit ?? 500, 1, 5000) };
        if (follow == true)
        {
            await ApiResults.WriteNdjsonAsync(context, Views(store.FollowEventsAsync(query, context.RequestAborted)), ApiJsonContext.Default.EventView);
            return;
        }
        var events = await store.ListEventsAsync(query, context.RequestAborted);
        await Results.Json<IReadOnlyList<EventView>>(events.Select(ToView).ToList(), ApiJsonContext.Default.IReadOnlyListEventView).ExecuteAsync(context);

        static async IAsyncEnumerable<EventView> Views(IAsyncEnumerable<EventRecord> records)
        {
            await foreach (var record in records)
            {
                yield return ToView(record);
            }
        }
    }

    internal static EventView ToView(EventRecord e) =>
        new(e.Id, e.Time, e.Type, e.Reason, e.Message) { App = e.App, Service = e.Service, Replica = e.Replica };

    /// <summary>
    /// The app's lines from the log store (see <see cref="AppLogs"/>). An app that no longer exists is 404, except to an admin
    /// while its lines are kept: the team it belonged to is gone with it.
    /// </summary>
    private static async Task LogsAsync(string app, HttpContext context, IResourceStore store, AppLogs logs, TimeProvider time,
        string? service, bool? follow, string? tail, string? release, string? since, string? until, string? grep)
    {
        var ct = context.RequestAborted;
        var (request, error) = Logs.LogRequest.Parse(release, since, until, grep, tail, time.GetUtcNow());
        if (request is null)
        {
            await ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", error).ExecuteAsync(context);
            return;
        }
        var resource = await store.GetAsync(AppKinds.App, app, ct);
        if (resource is null && !(context.Principal().IsAdmin && logs.HasKept(app)))
        {
            await ApiResults.NotFound($"app '{app}' does not exist").ExecuteAsync(context);
            return;
        }
        await ApiResults.WriteNdjsonAsync(context, logs.Read(app, request, service, resource, follow == true, ct), ApiJsonContext.Default.LogLine);
    }
}
