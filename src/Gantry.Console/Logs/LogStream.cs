using Gantry.Console.Live;
using Gantry.Model.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Console.Logs;

/// <summary>
/// `GET /apps/{app}/logs/stream`: an app's new log lines as Server-Sent Events (one `data:` JSON <see cref="LogLine"/> per
/// line), for the Logs page's script. It holds the engine's log streams open while the page is open and nothing else;
/// when every replica's stream has ended it says `event: end` and closes, and the page does not reconnect by itself
/// (EventSource would, every few seconds, forever, for an app with no replicas).
/// </summary>
public static class LogStream
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/apps/{app}/logs/stream", StreamAsync)
            .RequireAuthorization()
            .WithMetadata(ConsoleEndpoint.Instance)
            .ExcludeFromDescription();

    private static async Task StreamAsync(string app, string? service, string? q, HttpContext context, IConsoleLogs logs)
    {
        var ct = context.RequestAborted;
        // Only lines written from now on: the page already shows the last ones it rendered.
        var lines = await logs.OpenAsync(context, app, string.IsNullOrEmpty(service) ? null : service, follow: true, tail: 0, ct);
        if (lines is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await ServerSentEvents.WriteAsync(context, lines, ApiJsonContext.Default.LogLine, line => LogFilter.Matches(line, q));
    }
}
