using System.Text.Json;
using System.Threading.Channels;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Contracts.Status;
using Gantry.Router.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Tests.Sources;

/// <summary>A stand-in for the server's route feed: an NDJSON stream whose lines the test pushes; it also keeps the status
/// reports posted to it, as the server does.</summary>
public sealed class FeedServer : IAsyncDisposable
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly System.Collections.Concurrent.ConcurrentQueue<RouterStatusReport> _reports = new();
    private readonly CancellationTokenSource _stop = new();
    private TestBackend? _backend;

    public string? LastAuthorization { get; private set; }

    public int Port => _backend!.Port;

    public string Url => _backend!.Address;

    public static async Task<FeedServer> StartAsync(int port = 0)
    {
        var feed = new FeedServer();
        feed._backend = await TestBackend.StartAsync(feed.HandleAsync, port: port);
        return feed;
    }

    /// <summary>The status reports this server received, in order.</summary>
    public IReadOnlyList<RouterStatusReport> Reports => [.. _reports];

    public void Push(RouteTableSpec table) => _lines.Writer.TryWrite(JsonSerializer.Serialize(table, RouteTableJsonContext.Default.RouteTableSpec));

    public void PushRaw(string line) => _lines.Writer.TryWrite(line);

    private async Task HandleAsync(HttpContext ctx)
    {
        if (ctx.Request.Path == "/api/v1/router/status")
        {
            _reports.Enqueue((await JsonSerializer.DeserializeAsync(ctx.Request.Body, RouterStatusJsonContext.Default.RouterStatusReport))!);
            ctx.Response.StatusCode = 204;
            return;
        }

        if (ctx.Request.Path != "/api/v1/routes/watch")
        {
            ctx.Response.StatusCode = 404;
            return;
        }

        LastAuthorization = ctx.Request.Headers.Authorization;
        ctx.Response.ContentType = "application/x-ndjson";
        await ctx.Response.StartAsync();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stop.Token);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(cts.Token))
            {
                await ctx.Response.WriteAsync(line + "\n", cts.Token);
                await ctx.Response.Body.FlushAsync(cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
            ctx.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }

        _stop.Dispose();
    }
}
