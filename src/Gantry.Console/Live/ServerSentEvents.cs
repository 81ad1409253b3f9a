using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Gantry.Console.Live;

/// <summary>
/// Writes a stream of items as Server-Sent Events: one `data:` line of JSON per item (JSON holds no raw line break, so
/// one line is always one item), flushed at once, then `event: end` when the stream ends. Ends quietly when the page goes.
/// </summary>
public static class ServerSentEvents
{
    public static async Task WriteAsync<T>(HttpContext context, IAsyncEnumerable<T> items, JsonTypeInfo<T> info, Func<T, bool>? include = null)
    {
        var ct = context.RequestAborted;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        // A proxy must not hold events back.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var body = context.Response.Body;
        try
        {
            await body.WriteAsync(": following\n\n"u8.ToArray(), ct);
            await body.FlushAsync(ct);
            await foreach (var item in items.WithCancellation(ct))
            {
                if (include is not null && !include(item))
                {
                    continue;
                }
                await body.WriteAsync(Encoding.UTF8.GetBytes("data: " + JsonSerializer.Serialize(item, info) + "\n\n"), ct);
                await body.FlushAsync(ct);
            }
            await body.WriteAsync("event: end\ndata: {}\n\n"u8.ToArray(), ct);
            await body.FlushAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away: whatever it followed ends with this request.
        }
    }
}
