using System.Collections.Concurrent;
using System.Text.Json;
using Gantry.Router.Contracts.Status;
using Gantry.Router.Observability;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Tests.Support;

/// <summary>A stand-in for the server's `POST /api/v1/router/status`: keeps every report it receives, in order.</summary>
public sealed class StatusServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RouterStatusReport> _reports = new();
    private TestBackend? _backend;

    public string Url => _backend!.Address;

    public string? LastAuthorization { get; private set; }

    public IReadOnlyList<RouterStatusReport> Reports => [.. _reports];

    public static async Task<StatusServer> StartAsync()
    {
        var server = new StatusServer();
        server._backend = await TestBackend.StartAsync(server.HandleAsync);
        return server;
    }

    /// <summary>Waits until a report (already received or still to come) satisfies <paramref name="match"/> and returns the first that does.</summary>
    /// <remarks>Searching from the first report, not from "now", matters: a report can arrive between the action that caused it
    /// and this call.</remarks>
    public async Task<RouterStatusReport> WaitForAsync(Func<RouterStatusReport, bool> match, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var hit = _reports.FirstOrDefault(match);
            if (hit is not null)
            {
                return hit;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        if (ctx.Request.Path != "/api/v1/router/status" || ctx.Request.Method != HttpMethods.Post)
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        LastAuthorization = ctx.Request.Headers.Authorization;
        var report = await JsonSerializer.DeserializeAsync(ctx.Request.Body, RouterStatusJsonContext.Default.RouterStatusReport);
        _reports.Enqueue(report!);
        ctx.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public ValueTask DisposeAsync() => _backend!.DisposeAsync();
}
