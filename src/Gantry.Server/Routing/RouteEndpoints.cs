using System.Text.Json;
using Gantry.Router.Contracts.Routes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Gantry.Model.Api.Identity;
using Gantry.Server.Auth;
using Gantry.Server.Cluster;
using Microsoft.Extensions.Hosting;

namespace Gantry.Server.Routing;

/// <summary>`/api/v1/routes`: the current table, and the NDJSON feed routers watch.</summary>
public static class RouteEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapRouteEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/routes").WithTags("routes");
        group.MapGet("/", async (RouteTablePublisher publisher, CancellationToken ct) =>
        {
            await publisher.Ready.WaitAsync(ct);
            return Results.Json(publisher.Current, RouteTableJsonContext.Default.RouteTableSpec);
        }).WithName("GetRouteTable").Access(AccessKind.Router);
        group.MapGet("/watch", WatchAsync).WithName("WatchRouteTable").Access(AccessKind.Router);
        return group;
    }

    /// <summary>Sends the whole table now and whenever it changes, with a heartbeat line every 15 s so a dead connection is noticed.</summary>
    /// <remarks>A node's router gets a heartbeat every half second and dead-peer timers on this connection, and its loss makes the server
    /// check the node (<see cref="NodeLiveness"/>).</remarks>
    private static async Task WatchAsync(HttpContext context, RouteTablePublisher publisher, NodeLiveness liveness, IHostApplicationLifetime lifetime,
        TimeProvider time)
    {
        var ct = context.RequestAborted;
        context.Response.ContentType = "application/x-ndjson";
        context.Response.Headers.CacheControl = "no-cache";
        var heartbeat = liveness.Follow(context) ? NodeLiveness.Heartbeat : Heartbeat;
        try
        {
            await publisher.Ready.WaitAsync(ct);
            long sent = -1;
            while (!ct.IsCancellationRequested)
            {
                var changed = publisher.Changed;
                var table = publisher.Current;
                if (table.Version != sent)
                {
                    await JsonSerializer.SerializeAsync(context.Response.Body, table, RouteTableJsonContext.Default.RouteTableSpec, ct);
                    sent = table.Version;
                }
                else
                {
                    await JsonSerializer.SerializeAsync(context.Response.Body, new FeedLine(Heartbeat: true), RouteTableJsonContext.Default.FeedLine, ct);
                }
                await context.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
                await context.Response.Body.FlushAsync(ct);
                await Task.WhenAny(changed, Task.Delay(heartbeat, time, ct));
            }
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The router went away: not an error.
        }

        // Its node may be gone with it.
        if (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            liveness.Lost(context.Connection.RemoteIpAddress, lifetime.ApplicationStopping);
        }
    }
}
