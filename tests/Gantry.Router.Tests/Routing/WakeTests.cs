using System.Net;
using Gantry.Router.Contracts.Routes;
using Microsoft.AspNetCore.Http;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Routing;

/// <summary>Scale to zero: a request for a service with no replica is held until the table gives it one, not refused.</summary>
public sealed class WakeTests
{
    private static RouteTableSpec AtZero(long version, TimeSpan timeout, params string[] addresses) => Tables.Table(version,
        [Tables.Route("app", "app", "app.test")],
        Tables.Cluster("app", addresses) with { Wake = new WakeSpec("shop", "web", timeout) });

    [Fact]
    public async Task Request_ServiceAtZero_HeldUntilAReplicaEntersTheTable()
    {
        await using var backend = await TestBackend.StartNamedAsync("woken");
        await using var router = await TestRouter.StartAsync(AtZero(1, TimeSpan.FromSeconds(30)));

        var held = router.GetStringAsync("app.test");
        await Task.Delay(300);
        Assert.False(held.IsCompleted, "the request was answered before the service had a replica");
        router.Router.ApplyTable(AtZero(2, TimeSpan.FromSeconds(30), backend.Address));

        Assert.Equal("200 woken", await held.WaitAsync(TimeSpan.FromSeconds(10)));
        var cursor = 0L;
        var records = new List<Gantry.Router.Observability.RequestRecord>();
        router.Router.Recent.CopySince(ref cursor, 100, records);
        var record = Assert.Single(records);
        Assert.InRange(record.HeldMicroseconds, 250_000, 10_000_000);
    }

    [Fact]
    public async Task Request_ServiceStaysAtZero_503AfterTheWakeTimeout()
    {
        await using var router = await TestRouter.StartAsync(AtZero(1, TimeSpan.FromSeconds(1)));

        using var response = await router.GetAsync("app.test");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Request_WokenReplicaNotListeningYet_RetriedUntilItIs()
    {
        // The replica is in the table before its server listens (no health check): connection refused, which reached nothing.
        var port = FreePort();
        await using var router = await TestRouter.StartAsync(AtZero(1, TimeSpan.FromSeconds(30)));

        var held = router.GetStringAsync("app.test");
        // Held first: a request that arrived only after the table (a slow first request on a loaded machine) would not be
        // a woken request and would get the refused replica's 502.
        var route = router.Router.Routing.Current.External.Match("app.test", "/")!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (route.Metrics.InFlight == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, route.Metrics.InFlight);
        await Task.Delay(300);
        router.Router.ApplyTable(AtZero(2, TimeSpan.FromSeconds(30), $"http://127.0.0.1:{port}"));
        await Task.Delay(500);
        await using var late = await TestBackend.StartAsync(ctx => ctx.Response.WriteAsync("late"), port: port);

        Assert.Equal("200 late", await held.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public void Validate_WakeWithoutTheService_Refused()
    {
        var errors = RouteTableValidator.Validate(Tables.Table(1, [Tables.Route("app", "app", "app.test")],
            Tables.Cluster("app") with { Wake = new WakeSpec("shop", "") }));

        Assert.Contains(errors, e => e.Path == "clusters[0].wake");
    }
}
