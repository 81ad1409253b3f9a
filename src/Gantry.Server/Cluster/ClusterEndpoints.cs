using System.Text.Json;
using Gantry.Docker;
using Gantry.Model.Api;
using Gantry.Model.Api.Cluster;
using Gantry.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Cluster;

/// <summary>The /api/v1/cluster group: the Swarm under Gantry and its nodes. Admins only: it changes machines, not apps.</summary>
public static class ClusterEndpoints
{
    private const string InvalidTitle = "Invalid cluster request";

    public static RouteGroupBuilder MapClusterEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/cluster").WithTags("cluster");
        group.MapGet("", GetAsync).WithName("Cluster").Access(AccessKind.Admin);
        group.MapPost("/init", InitAsync).WithName("ClusterInit").Access(AccessKind.Admin);
        group.MapGet("/nodes", NodesAsync).WithName("ClusterNodes").Access(AccessKind.Admin);
        group.MapPost("/nodes", AddAsync).WithName("ClusterNodeAdd").Access(AccessKind.Admin);
        group.MapPost("/nodes/{node}/drain", DrainAsync).WithName("ClusterNodeDrain").Access(AccessKind.Admin);
        group.MapDelete("/nodes/{node}", RemoveAsync).WithName("ClusterNodeRemove").Access(AccessKind.Admin);
        group.MapGet("/nodes/{node}/metrics", NodeMetricsAsync).WithName("ClusterNodeMetrics").Access(AccessKind.Admin);
        return group;
    }

    private static Task<IResult> GetAsync(ClusterService cluster, CancellationToken ct) =>
        Engine(async () => Results.Json(await cluster.GetAsync(ct), ApiJsonContext.Default.ClusterView));

    private static async Task<IResult> InitAsync(HttpContext context, ClusterService cluster, NodeWatch watch, CancellationToken ct)
    {
        var (request, problem) = await ReadAsync(context, ApiJsonContext.Default.ClusterInitRequest, "a cluster init request ({\"advertiseAddress\": \"10.0.0.5\"} or empty)", ct);
        try
        {
            return problem ?? await Engine(async () => ApiResults.FromOutcome(await cluster.InitAsync(request ?? new ClusterInitRequest(), ct), "Cluster init", InvalidTitle,
                view => Results.Json(view, ApiJsonContext.Default.ClusterView)));
        }
        finally
        {
            watch.Poke(); // the engine may be a manager now: the node watch starts following its nodes
        }
    }

    /// <summary>What Gantry's replicas on the node used over the window (the sampler's per-node sums); none for a node without replicas.</summary>
    private static IResult NodeMetricsAsync(string node, string? since, string? step, Metrics.MetricsStore metrics, TimeProvider time)
    {
        var (query, error) = Metrics.MetricsQuery.Parse(since, step);
        if (query is null)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "Bad request", error);
        }
        var start = query.Start(time.GetUtcNow());
        return Results.Json(query.ToView(node, start, metrics.Query(Metrics.NodeMetrics.App, node, start, query.Step)), ApiJsonContext.Default.AppMetricsView);
    }

    private static Task<IResult> NodesAsync(ClusterService cluster, CancellationToken ct) =>
        Engine(async () => ApiResults.FromOutcome(await cluster.ListNodesAsync(ct), "Listing nodes", InvalidTitle,
            nodes => Results.Json(nodes, ApiJsonContext.Default.IReadOnlyListNodeView)));

    private static async Task<IResult> AddAsync(HttpContext context, ClusterService cluster, CancellationToken ct)
    {
        var (request, problem) = await ReadAsync(context, ApiJsonContext.Default.NodeAddRequest, "a node add request ({\"engine\": \"tcp://10.0.0.6:2376\"})", ct);
        if (problem is not null)
        {
            return problem;
        }
        if (request is null || string.IsNullOrWhiteSpace(request.Engine))
        {
            return ApiResults.Problem(StatusCodes.Status422UnprocessableEntity, InvalidTitle, "a node add request needs 'engine': the URL of the engine to join (unix:///..., tcp://HOST:2375, https://HOST:2376)");
        }
        return await Engine(async () => ApiResults.FromOutcome(await cluster.AddNodeAsync(request, ct), "Node add", InvalidTitle,
            node => Results.Json(node, ApiJsonContext.Default.NodeView)));
    }

    private static Task<IResult> DrainAsync(string node, ClusterService cluster, CancellationToken ct) =>
        Engine(async () => ApiResults.FromOutcome(await cluster.DrainAsync(node, ct), "Node drain", InvalidTitle,
            view => Results.Json(view, ApiJsonContext.Default.NodeView)));

    private static Task<IResult> RemoveAsync(string node, ClusterService cluster, CancellationToken ct) =>
        Engine(async () => ApiResults.FromOutcome(await cluster.RemoveAsync(node, ct), "Node removal", InvalidTitle,
            view => Results.Json(view, ApiJsonContext.Default.NodeView)));

    private static async Task<(T? Request, IResult? Problem)> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what,
        CancellationToken ct) where T : class
    {
        if (context.Request.ContentLength is 0 || (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count == 0))
        {
            return (null, null);
        }
        return await ApiResults.ReadJsonAsync(context, type, what, ct);
    }

    // The server's engine failing is not the caller's mistake: 502 with what the engine said, never a stack trace.
    private static async Task<IResult> Engine(Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (DockerApiException e)
        {
            return ApiResults.Problem(StatusCodes.Status502BadGateway, "Engine error", $"the engine refused: {e.DaemonMessage}");
        }
        catch (DockerTransportException e)
        {
            return ApiResults.Problem(StatusCodes.Status502BadGateway, "Engine unreachable", $"the server's engine did not answer: {e.Message}");
        }
    }
}
