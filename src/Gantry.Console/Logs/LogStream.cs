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
/// (EventSource would, every few seconds, forever, for an app with no replicas). Log lines carry no id: after a
/// reconnect (a network blip, or the periodic session re-check) the page follows from then on, and lines written while
/// it reconnected (about a second) are not shown; a reload shows them.
/// </summary>
public static class LogStream
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/apps/{app}/logs/stream", StreamAsync)
            .RequireAuthorization()
            .WithMetadata(ConsoleEndpoint.Instance)
            .ExcludeFromDescription();

    private static Task StreamAsync(string app, string? service, string? q, HttpContext context, IConsoleLogs logs) =>
        ServerSentEvents.StreamAsync(context,
            // Only lines written from now on: the page already shows the last ones it rendered.
            ct => logs.OpenAsync(context, app, string.IsNullOrEmpty(service) ? null : service, follow: true, tail: 0, ct),
            ApiJsonContext.Default.LogLine,
            include: line => LogFilter.Matches(line, q));
}
