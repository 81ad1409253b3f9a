using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Console.Live;

/// <summary>
/// Writes a stream of items as Server-Sent Events: one `data:` line of JSON per item (JSON holds no raw line break, so
/// one line is always one item), flushed at once, then `event: end` when the stream ends. Ends quietly when the page goes.
/// </summary>
/// <remarks>
/// The session is checked when a request starts, so a stream must not outlive it for long: after <see cref="SessionRecheck"/>
/// the response ends without `end`, the browser's EventSource reconnects (sending the last `id:` it saw), and that new
/// request passes the session check again: a revoked token or removed user stops following within that time.
/// </remarks>
public static class ServerSentEvents
{
    /// <summary>How long one stream may run before the browser must reconnect through the session check.</summary>
    public static readonly TimeSpan SessionRecheck = TimeSpan.FromMinutes(5);

    /// <summary>How soon EventSource reconnects after such an end or a network blip.</summary>
    private const int RetryMilliseconds = 1000;

    /// <summary>
    /// Opens the stream with a token that ends with the request or at the session re-check, whichever comes first (so what
    /// it holds open, engine log streams or the event feed, is released then too), and writes it; 404 when
    /// <paramref name="open"/> answers null (an app the user may not see).
    /// </summary>
    /// <param name="idOf">The item's id, sent as `id:` so a reconnecting page resumes after it (`Last-Event-ID`); null to send none.</param>
    public static async Task StreamAsync<T>(HttpContext context, Func<CancellationToken, Task<IAsyncEnumerable<T>?>> open, JsonTypeInfo<T> info,
        Func<T, bool>? include = null, Func<T, string>? idOf = null)
    {
        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        using var recheck = new CancellationTokenSource(SessionRecheck, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, recheck.Token);
        var ct = linked.Token;
        var items = await open(ct);
        if (items is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        // A proxy must not hold events back.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var body = context.Response.Body;
        try
        {
            await body.WriteAsync(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"retry: {RetryMilliseconds}\n: following\n\n")), ct);
            await body.FlushAsync(ct);
            await foreach (var item in items.WithCancellation(ct))
            {
                if (include is not null && !include(item))
                {
                    continue;
                }
                var id = idOf is null ? "" : "id: " + idOf(item) + "\n";
                await body.WriteAsync(Encoding.UTF8.GetBytes(id + "data: " + JsonSerializer.Serialize(item, info) + "\n\n"), ct);
                await body.FlushAsync(ct);
            }
            await body.WriteAsync("event: end\ndata: {}\n\n"u8.ToArray(), ct);
            await body.FlushAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away, or it is time to reconnect through the session check: what it followed ends here.
        }
    }

    /// <summary>The id a reconnecting EventSource last saw (its `Last-Event-ID` header), if it is a number.</summary>
    public static long? LastEventId(HttpContext context) =>
        long.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
