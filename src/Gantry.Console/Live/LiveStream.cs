using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Console.Live;

/// <summary>
/// `GET /live/{topic}?since=VERSION[&amp;repository=NAME | &amp;app=NAME]`: the notices a live page follows, as Server-Sent Events written by
/// <see cref="ServerSentEvents"/> (ended every 5 minutes for the session check; the notice's version is its `id:`, so a page
/// that reconnects after a change it missed is told at once). 404 for a topic the user may not follow.
/// </summary>
public static class LiveStream
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/live/{topic}", StreamAsync)
            .RequireAuthorization()
            .WithMetadata(ConsoleEndpoint.Instance)
            .ExcludeFromDescription();

    private static Task StreamAsync(string topic, long? since, string? repository, string? app, HttpContext context, IConsoleLive live)
    {
        if (!Enum.TryParse<LiveTopic>(topic, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        return ServerSentEvents.StreamAsync(context,
            ct => Task.FromResult(live.Follow(context, parsed, repository ?? app, ServerSentEvents.LastEventId(context) ?? since, ct)),
            LiveJsonContext.Default.LiveChange,
            idOf: c => c.Version.ToString(CultureInfo.InvariantCulture));
    }
}
