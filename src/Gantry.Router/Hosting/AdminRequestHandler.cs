using System.Text.Json;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Contracts.Status;
using Gantry.Router.Observability;
using Gantry.Router.Routing;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Hosting;

/// <summary>The admin port: /metrics (Prometheus text), /healthz, /routes (current table), /status (the status report, with
/// what was left out of the received table) and /requests?slowest=N.</summary>
public sealed class AdminRequestHandler
{
    private readonly RoutingState _routing;
    private readonly RouterMetrics _metrics;
    private readonly RecentRequests _recent;
    private readonly TimeProvider _time;
    private readonly string _routerId;

    public AdminRequestHandler(RoutingState routing, RouterMetrics metrics, RecentRequests recent, TimeProvider time, string routerId)
    {
        _routerId = routerId;
        _routing = routing;
        _metrics = metrics;
        _recent = recent;
        _time = time;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        var path = context.Request.Path.Value;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        switch (path)
        {
            case "/metrics":
                response.ContentType = PrometheusExporter.ContentType;
                await PrometheusExporter.WriteAsync(response.Body, _metrics, _routing.Current, _time.GetTimestamp(), context.RequestAborted).ConfigureAwait(false);
                break;
            case "/healthz":
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync("ok\n").ConfigureAwait(false);
                break;
            case "/routes":
                response.ContentType = "application/json; charset=utf-8";
                await JsonSerializer.SerializeAsync(response.Body, _routing.Current.Table, RouteTableJsonContext.Default.RouteTableSpec).ConfigureAwait(false);
                break;
            case "/status":
                response.ContentType = "application/json; charset=utf-8";
                await JsonSerializer.SerializeAsync(response.Body, RouterStatusReporter.Capture(_routerId, _routing, _time.GetUtcNow()),
                    RouterStatusJsonContext.Default.RouterStatusReport).ConfigureAwait(false);
                break;
            case "/requests":
                await WriteRequestsAsync(context).ConfigureAwait(false);
                break;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync("admin endpoints: /metrics /healthz /routes /status /requests?slowest=N\n").ConfigureAwait(false);
                break;
        }
    }

    private async Task WriteRequestsAsync(HttpContext context)
    {
        var count = 20;
        if (context.Request.Query.TryGetValue("slowest", out var value) && !int.TryParse(value, out count) || count < 1)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"slowest=\"{value}\" must be a positive number, such as /requests?slowest=20\n").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var record in _recent.Slowest(Math.Min(count, 1000)))
            {
                AccessLogFormat.Write(json, record);
            }

            json.WriteEndArray();
        }

        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)).ConfigureAwait(false);
    }
}
