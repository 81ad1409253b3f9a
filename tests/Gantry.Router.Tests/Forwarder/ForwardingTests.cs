using System.Net.Sockets;
using System.Net;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Tests.Forwarder;

public class ForwardingTests
{
    [Fact]
    public async Task Forward_HostsWildcardsAndPrefixes_ReachTheRightBackend()
    {
        await using var web = await TestBackend.StartNamedAsync("web");
        await using var api = await TestBackend.StartNamedAsync("api");
        await using var tenants = await TestBackend.StartNamedAsync("tenants");
        var table = Tables.Table(1,
            [
                Tables.Route("web", "web", "app.test"),
                Tables.Route("api", "api", "app.test", "/api"),
                Tables.Route("tenants", "tenants", "*.tenants.test"),
            ],
            Tables.Cluster("web", web.Address), Tables.Cluster("api", api.Address), Tables.Cluster("tenants", tenants.Address));
        await using var router = await TestRouter.StartAsync(table);

        Assert.Equal("200 web", await router.GetStringAsync("app.test", "/"));
        Assert.Equal("200 api", await router.GetStringAsync("app.test", "/api/users?x=1"));
        Assert.Equal("200 web", await router.GetStringAsync("app.test", "/apiary"));
        Assert.Equal("200 tenants", await router.GetStringAsync("acme.tenants.test", "/"));
        Assert.Equal("404 ", await router.GetStringAsync("nowhere.test", "/"));
    }

    [Fact]
    public async Task Forward_InternalRoute_NeverAnswersOnExternal()
    {
        await using var svc = await TestBackend.StartNamedAsync("svc");
        var table = Tables.Table(1, [Tables.Route("svc", "svc", "svc.internal", entrypoint: Entrypoints.Internal)], Tables.Cluster("svc", svc.Address));
        await using var router = await TestRouter.StartAsync(table);

        using var external = await router.GetAsync("svc.internal");
        using var @internal = await router.GetAsync("svc.internal", entry: router.Internal);

        Assert.Equal(HttpStatusCode.NotFound, external.StatusCode);
        Assert.Equal(HttpStatusCode.OK, @internal.StatusCode);
        Assert.Equal(1, svc.Requests);
    }

    [Fact]
    public async Task Forward_Headers_RouterSetsForwardedAndTraceAndStripsHopByHop()
    {
        IHeaderDictionary? seen = null;
        await using var backend = await TestBackend.StartAsync(ctx =>
        {
            seen = new HeaderDictionary(ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
            ctx.Response.Headers["Keep-Alive"] = "timeout=5";
            ctx.Response.Headers["X-Private"] = "hidden";
            ctx.Response.Headers["Connection"] = "X-Private";
            return Task.CompletedTask;
        });
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        const string traceId = "0af7651916cd43dd8448eb211c80319c";

        var request = new HttpRequestMessage(HttpMethod.Get, router.External + "/x");
        request.Headers.Host = "app.test";
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.test");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-b7ad6b7169203331-01");
        request.Headers.TryAddWithoutValidation("Connection", "X-Secret");
        request.Headers.TryAddWithoutValidation("X-Secret", "s");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic x");
        request.Headers.TryAddWithoutValidation("X-Custom", "kept");
        using var response = await router.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(seen);
        Assert.Equal("app.test", seen!["Host"].ToString());
        Assert.Equal("127.0.0.1", seen["X-Forwarded-For"].ToString());
        Assert.Equal("app.test", seen["X-Forwarded-Host"].ToString());
        Assert.Equal("http", seen["X-Forwarded-Proto"].ToString());
        Assert.Equal("kept", seen["X-Custom"].ToString());
        Assert.False(seen.ContainsKey("X-Secret"));
        Assert.False(seen.ContainsKey("Keep-Alive"));
        Assert.False(seen.ContainsKey("Proxy-Authorization"));
        var traceparent = seen["traceparent"].ToString();
        Assert.StartsWith($"00-{traceId}-", traceparent, StringComparison.Ordinal);
        Assert.DoesNotContain("b7ad6b7169203331", traceparent, StringComparison.Ordinal);
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.Equal(requestId, seen["X-Request-Id"].ToString());
        Assert.False(response.Headers.Contains("X-Private"));
        Assert.False(response.Headers.Contains("Keep-Alive"));
    }

    [Fact]
    public async Task Forward_NoTraceparent_StartsTraceAndKeepsGivenRequestId()
    {
        string? traceparent = null;
        await using var backend = await TestBackend.StartAsync(ctx =>
        {
            traceparent = ctx.Request.Headers["traceparent"];
            return Task.CompletedTask;
        });
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        var request = new HttpRequestMessage(HttpMethod.Get, router.External + "/");
        request.Headers.Host = "app.test";
        request.Headers.TryAddWithoutValidation("X-Request-Id", "abc-123");
        using var response = await router.Client.SendAsync(request);

        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", traceparent);
        Assert.Equal("abc-123", Assert.Single(response.Headers.GetValues("X-Request-Id")));
    }

    [Fact]
    public async Task Forward_ConnectionRefused_Returns502()
    {
        var port = FreePort();
        await using var router = await TestRouter.StartAsync(Tables.Single($"http://127.0.0.1:{port}"));
        using var response = await router.GetAsync("app.test");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var record = (await router.RecordsAsync(1))[0];
        Assert.Equal("upstream-error", Gantry.Router.Observability.AccessLogFormat.OutcomeName(record.Outcome));
    }

    [Fact]
    public async Task Forward_OneDestinationRefuses_RetriedOnTheOther()
    {
        await using var good = await TestBackend.StartNamedAsync("good");
        var bad = $"http://127.0.0.1:{FreePort()}";
        var cluster = Tables.Cluster("app", bad, good.Address) with { LoadBalancing = LoadBalancingPolicies.RoundRobin, PassiveHealth = new PassiveHealthSpec { Enabled = false } };
        await using var router = await TestRouter.StartAsync(Tables.Table(1, [Tables.Route("app", "app", "app.test")], cluster));

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("200 good", await router.GetStringAsync("app.test"));
        }

        Assert.Contains(await router.RecordsAsync(6), r => r.Attempts == 2);
    }

    [Fact]
    public async Task Forward_UpstreamResetsBeforeResponse_Returns502()
    {
        // A raw TCP server that reads the request and closes with RST.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            while (true)
            {
                using var socket = await listener.AcceptSocketAsync();
                var buffer = new byte[4096];
                await socket.ReceiveAsync(buffer);
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
        });
        await using var router = await TestRouter.StartAsync(Tables.Single($"http://127.0.0.1:{port}"));

        using var response = await router.GetAsync("app.test");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        listener.Stop();
    }

    [Fact]
    public async Task Forward_UpstreamTooSlow_Returns504()
    {
        await using var backend = await TestBackend.StartAsync(async ctx => await Task.Delay(TimeSpan.FromSeconds(10), ctx.RequestAborted));
        var table = Tables.Single(backend.Address, cluster: c => c with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        await using var router = await TestRouter.StartAsync(table);

        using var response = await router.GetAsync("app.test");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(Gantry.Router.Contracts.Requests.RequestOutcome.Timeout, (await router.RecordsAsync(1))[0].Outcome);
    }

    [Fact]
    public async Task Forward_AllDestinationsDrained_Returns503WithRetryAfter()
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        var table = Tables.Single(backend.Address, cluster: c => c with { Destinations = [c.Destinations[0] with { Weight = 0 }] });
        await using var router = await TestRouter.StartAsync(table);

        using var response = await router.GetAsync("app.test");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(0, backend.Requests);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
