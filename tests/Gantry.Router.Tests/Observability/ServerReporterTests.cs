using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Net;
using System.Text.Json;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Control;
using Gantry.Router.Observability;
using Gantry.Router.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Router.Tests.Observability;

public sealed class ServerReporterTests
{
    [Fact]
    public async Task FlushAsync_RequestsFinished_PostsThemWithLabelsAndBearer()
    {
        var batches = new ConcurrentQueue<(string? Auth, string Path, RequestReportBatch Batch)>();
        await using var server = await TestBackend.StartAsync(async ctx =>
        {
            var batch = await JsonSerializer.DeserializeAsync(ctx.Request.Body, RequestReportJsonContext.Default.RequestReportBatch);
            batches.Enqueue((ctx.Request.Headers.Authorization, ctx.Request.Path, batch!));
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await using var backend = await TestBackend.StartNamedAsync("b");
        var table = Tables.Single(backend.Address, cluster: c => c with
        {
            Destinations = [c.Destinations[0] with { Labels = new Dictionary<string, string> { ["app"] = "shop", ["service"] = "web", ["replica"] = "shop-web-1" } }],
        });
        await using var router = await TestRouter.StartAsync(table);
        await using var link = new ServerLink(new Uri(server.Address), "secret");
        await using var reporter = new ServerReporter(link, router.Router.Recent, router.Router.Routing,
            TimeProvider.System, NullLogger.Instance, interval: TimeSpan.FromHours(1));

        Assert.Equal("200 b", await router.GetStringAsync("app.test", "/one"));
        Assert.Equal("200 b", await router.GetStringAsync("app.test", "/two"));
        Assert.Equal(2, await reporter.FlushAsync(CancellationToken.None));
        Assert.Equal(0, await reporter.FlushAsync(CancellationToken.None));

        var (auth, path, sent) = Assert.Single(batches);
        Assert.Equal("Bearer secret", auth);
        Assert.Equal("/api/v1/router/requests", path);
        Assert.Equal(["/one", "/two"], sent.Requests.Select(r => r.Path));
        var first = sent.Requests[0];
        Assert.Equal(("shop", "web", "shop-web-1"), (first.App, first.Service, first.Replica));
        Assert.Equal(("app", "app", "app-0"), (first.RouteId, first.ClusterId, first.DestinationId));
        Assert.Equal(("app.test", "GET", 200, RequestOutcome.Ok), (first.Host, first.Method, first.Status, first.Outcome));
        Assert.Matches("^[0-9a-f]{32}$", first.TraceId);
        Assert.True(first.TotalMicroseconds > 0);
        Assert.Equal(2, reporter.Sent);
        Assert.Equal(0, reporter.Dropped);
    }

    [Fact]
    public async Task FlushAsync_ServerUnreachable_DropsAndCountsWithoutBuffering()
    {
        var recent = new RecentRequests(16);
        await using var router = await TestRouter.StartAsync();
        await using var link = new ServerLink(new Uri($"http://127.0.0.1:{UnusedPort()}"), null);
        await using var reporter = new ServerReporter(link, recent, router.Router.Routing,
            TimeProvider.System, NullLogger.Instance, interval: TimeSpan.FromHours(1));
        for (var i = 0; i < 3; i++)
        {
            recent.Add(new RequestRecord { Path = $"/{i}" });
        }

        Assert.Equal(0, await reporter.FlushAsync(CancellationToken.None));
        Assert.Equal(3, reporter.Dropped);
        // The failed batch is gone: the next flush has nothing to send.
        Assert.Equal(0, await reporter.FlushAsync(CancellationToken.None));
        Assert.Equal(3, reporter.Dropped);
    }

    [Fact]
    public void CopySince_RingOverrunAndBatchCap_KeepsNewestAndCountsLost()
    {
        var recent = new RecentRequests(4);
        long cursor = recent.Position;
        for (var i = 0; i < 10; i++)
        {
            recent.Add(new RequestRecord { Path = $"/{i}" });
        }

        var into = new List<RequestRecord>();
        var lost = recent.CopySince(ref cursor, max: 3, into);

        Assert.Equal(7, lost);
        Assert.Equal(["/7", "/8", "/9"], into.Select(r => r.Path));
        Assert.Equal(10, cursor);
        into.Clear();
        Assert.Equal(0, recent.CopySince(ref cursor, 3, into));
        Assert.Empty(into);
    }

    [Fact]
    public async Task RouterHost_ServerUrlSet_ReportsRequestsEveryFewSeconds()
    {
        var reported = new ConcurrentQueue<RequestReport>();
        var table = JsonSerializer.Serialize(Tables.Single("http://127.0.0.1:1"), RouteTableJsonContext.Default.RouteTableSpec);
        await using var server = await TestBackend.StartAsync(async ctx =>
        {
            if (ctx.Request.Path == "/api/v1/routes/watch")
            {
                await ctx.Response.WriteAsync(table + "\n");
                await ctx.Response.Body.FlushAsync();
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            var batch = await JsonSerializer.DeserializeAsync(ctx.Request.Body, RequestReportJsonContext.Default.RequestReportBatch);
            foreach (var r in batch!.Requests)
            {
                reported.Enqueue(r);
            }
        });
        await using var router = await TestRouter.StartAsync(configure: o => o with { ServerUrl = new Uri(server.Address), ServerToken = "t" });

        using var missing = await router.GetAsync("nowhere.test", "/x");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (reported.IsEmpty)
        {
            await Task.Delay(100, timeout.Token);
        }

        var report = Assert.Single(reported);
        Assert.Equal(("nowhere.test", "/x", 404, RequestOutcome.NoRoute), (report.Host, report.Path, report.Status, report.Outcome));
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
