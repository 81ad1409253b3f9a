using Gantry.Console.Live;
using Gantry.Model.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Console.Apps;

/// <summary>
/// `GET /apps/{app}/events/stream?after=ID`: the app's events after the newest one its page rendered, then each new one,
/// as Server-Sent Events, so the app page follows a rollout (replicas created, started, ready, failed) without reloading.
/// </summary>
public static class EventStream
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/apps/{app}/events/stream", StreamAsync)
            .RequireAuthorization()
            .WithMetadata(ConsoleEndpoint.Instance)
            .ExcludeFromDescription();

    private static Task StreamAsync(string app, long? after, HttpContext context, IConsoleApps apps) =>
        ServerSentEvents.StreamAsync(context,
            // A reconnecting page resumes after the last event it got, not after the one it was rendered with.
            ct => apps.FollowEventsAsync(context, app, ServerSentEvents.LastEventId(context) ?? after ?? 0, ct),
            ApiJsonContext.Default.EventView,
            idOf: e => e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
