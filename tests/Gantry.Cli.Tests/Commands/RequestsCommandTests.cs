using System.Text.Json;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Cli.Tests.Commands;

public sealed class RequestsCommandTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 5, 40, 1, 250, TimeSpan.Zero);

    private static readonly IReadOnlyList<RequestView> Slow =
    [
        new RequestView(At, "GET", "shop.localhost", "/cart", 200, "Ok", 1534.2)
        {
            Replica = "shop-web-2", TraceId = "4bf92f3577b34da6a3ce929d0e0e4736", WaitMs = 0.01, ConnectMs = null, UpstreamMs = 1530.4, BodyMs = 3.2,
        },
        new RequestView(At.AddSeconds(1), "POST", "shop.localhost", "/pay", 502, "UpstreamError", 12.34)
        {
            Replica = "shop-web-1", TraceId = "0af7651916cd43dd8448eb211c80319c", ConnectMs = 0.42,
        },
    ];

    [Fact]
    public async Task Requests_Slowest_AsksServerAndPrintsPhases()
    {
        string? url = null;
        string? auth = null;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            (url, auth) = (ctx.Request.Path + ctx.Request.QueryString, ctx.Request.Headers.Authorization);
            return TestServer.WriteJsonAsync(ctx, Slow, ApiJsonContext.Default.IReadOnlyListRequestView);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("requests", "shop", "--slowest", "5");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("/api/v1/apps/shop/requests?slowest=5", url);
        Assert.Equal("Bearer test-token", auth);
        var lines = h.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^TIME\s+METHOD\s+URL\s+STATUS\s+REPLICA\s+TOTAL\s+WAIT\s+CONNECT\s+UPSTREAM\s+BODY\s+TRACE ID", lines[0]);
        Assert.Matches(@"^05:40:01\.250\s+GET\s+shop\.localhost/cart\s+200\s+shop-web-2\s+1534ms\s+0\.01ms\s+reused\s+1530ms\s+3\.20ms\s+4bf92f3577b34da6a3ce929d0e0e4736", lines[1]);
        Assert.Contains("502 UpstreamError", lines[2], StringComparison.Ordinal);
        Assert.Contains("0.42ms", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_Json_WritesTheApiJsonAndDefaultLimit()
    {
        string? url = null;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            url = ctx.Request.Path + ctx.Request.QueryString;
            return TestServer.WriteJsonAsync(ctx, Slow, ApiJsonContext.Default.IReadOnlyListRequestView);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("requests", "shop", "--output", "json");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("/api/v1/apps/shop/requests?limit=20", url);
        var parsed = JsonSerializer.Deserialize(h.Out, ApiJsonContext.Default.IReadOnlyListRequestView)!;
        Assert.Equal(["shop-web-2", "shop-web-1"], parsed.Select(r => r.Replica));
        Assert.Null(parsed[0].ConnectMs);
    }

    [Fact]
    public async Task Requests_UnknownApp_ExitsNotFound()
    {
        await using var server = await TestServer.StartAsync(ctx =>
            TestServer.WriteProblemAsync(ctx, new ApiProblem("https://gantry.dev/errors/not-found", "Not found", 404) { Detail = "app 'nope' does not exist" }));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("requests", "nope");

        Assert.Equal(ExitCodes.NotFound, code);
        Assert.Contains("app 'nope' does not exist", h.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_SlowestZero_ExitsUsageWithoutCallingServer()
    {
        var called = false;
        await using var server = await TestServer.StartAsync(ctx =>
        {
            called = true;
            ctx.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("requests", "shop", "--slowest", "0");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--slowest 0 is out of range; use 1 to 5000", h.Error, StringComparison.Ordinal);
        Assert.False(called);
    }
}
