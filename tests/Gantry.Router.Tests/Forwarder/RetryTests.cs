using System.Net.Sockets;
using System.Net;
using System.Text;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Observability;
using Gantry.Router.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Tests.Forwarder;

public sealed class RetryTests
{
    private static readonly PassiveHealthSpec NoPassive = new() { Enabled = false };

    private static RouteTableSpec RoundRobin(params string[] addresses) =>
        Tables.Table(1, [Tables.Route("app", "app", "app.test")],
            Tables.Cluster("app", addresses) with { LoadBalancing = LoadBalancingPolicies.RoundRobin, PassiveHealth = NoPassive });

    private static async Task<(int Status, string Body)> SendAsync(TestRouter router, HttpMethod method, string? body = null, string path = "/")
    {
        using var request = new HttpRequestMessage(method, router.External + path);
        request.Headers.Host = "app.test";
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
        }

        using var response = await router.Client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Task<TestBackend> StartEchoAsync(string name) => TestBackend.StartAsync(async ctx =>
    {
        using var reader = new StreamReader(ctx.Request.Body);
        await ctx.Response.WriteAsync($"{name}:{ctx.Request.Method}:{await reader.ReadToEndAsync()}");
    });

    [Fact]
    public async Task Forward_PostToClosedPort_RetriedOnAnotherDestinationWithBodyIntact()
    {
        await using var good = await StartEchoAsync("good");
        await using var router = await TestRouter.StartAsync(RoundRobin($"http://127.0.0.1:{ForwardingTests.FreePort()}", good.Address));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal((200, $"good:POST:payload-{i}"), await SendAsync(router, HttpMethod.Post, $"payload-{i}"));
        }

        var records = await router.RecordsAsync(4);
        Assert.Contains(records, r => r.Attempts == 2 && r.DestinationId == "app-1" && r.Outcome == RequestOutcome.Ok);
        // The body went out once, to the destination that answered.
        Assert.All(records, r => Assert.Equal("payload-0".Length, r.BytesIn));
    }

    [Fact]
    public async Task Forward_TwoClosedPorts_ThirdAttemptReachesTheLiveDestination()
    {
        await using var good = await StartEchoAsync("good");
        await using var router = await TestRouter.StartAsync(RoundRobin(
            $"http://127.0.0.1:{ForwardingTests.FreePort()}", $"http://127.0.0.1:{ForwardingTests.FreePort()}", good.Address));

        for (var i = 0; i < 12; i++)
        {
            Assert.Equal((200, "good:PUT:x"), await SendAsync(router, HttpMethod.Put, "x"));
        }

        var records = await router.RecordsAsync(12);
        Assert.All(records, r => Assert.Equal("app-2", r.DestinationId));
        // A retry never returns to a destination that already refused this request.
        Assert.Contains(records, r => r.Attempts == 3);
        Assert.All(records, r => Assert.InRange(r.Attempts, 1, 3));
    }

    [Fact]
    public async Task Forward_EveryDestinationRefuses_Returns502AfterThreeAttempts()
    {
        var closed = Enumerable.Range(0, 4).Select(_ => $"http://127.0.0.1:{ForwardingTests.FreePort()}").ToArray();
        await using var router = await TestRouter.StartAsync(RoundRobin(closed));

        var (status, _) = await SendAsync(router, HttpMethod.Post, "x");

        Assert.Equal(502, status);
        var record = Assert.Single(await router.RecordsAsync(1));
        Assert.Equal((3, RequestOutcome.UpstreamError), (record.Attempts, record.Outcome));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task PassiveHealth_ConnectRefusedOnce_EjectedAtOnceAndLaterRequestsGoElsewhere(string method)
    {
        // Issue 11's failover: a connect failure is evidence about the address (a dead node's replica), so one ejects it,
        // instead of the five consecutive failures that eject a destination answering badly.
        await using var good = await StartEchoAsync("good");
        var table = Tables.Table(1, [Tables.Route("app", "app", "app.test")],
            Tables.Cluster("app", $"http://127.0.0.1:{ForwardingTests.FreePort()}", good.Address) with
            {
                LoadBalancing = LoadBalancingPolicies.RoundRobin,
                PassiveHealth = new PassiveHealthSpec { ConsecutiveFailures = 5, ReactivationPeriod = TimeSpan.FromMinutes(1) },
            });
        await using var router = await TestRouter.StartAsync(table);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, (await SendAsync(router, new HttpMethod(method), method == "GET" ? null : "z")).Status);
        }

        var records = await router.RecordsAsync(5);
        Assert.Equal(1, records.Count(r => r.Attempts == 2));
        Assert.All(records, r => Assert.Equal(("app-1", RequestOutcome.Ok), (r.DestinationId, r.Outcome)));
        Assert.NotEqual(0, router.Router.Routing.Current.Clusters["app"].Destinations[0].EjectedUntil);
    }

    [Fact]
    public async Task Forward_ConnectTimeout_RetriedOnAnotherDestination()
    {
        // A listener whose accept queue is full and never drained: Linux drops further SYNs, so connecting hangs.
        using var blackhole = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        blackhole.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        blackhole.Listen(0);
        var endpoint = (IPEndPoint)blackhole.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                try
                {
                    await filler.ConnectAsync(endpoint, quick.Token);
                }
                catch (OperationCanceledException)
                {
                    // The queue is full: this is the state we want.
                }
            }

            await using var good = await StartEchoAsync("good");
            await using var router = await TestRouter.StartAsync(RoundRobin($"http://{endpoint}", good.Address),
                o => o with { UpstreamConnectTimeout = TimeSpan.FromMilliseconds(500) });

            for (var i = 0; i < 2; i++)
            {
                Assert.Equal((200, "good:POST:y"), await SendAsync(router, HttpMethod.Post, "y"));
            }

            // Round robin advances once per pick, so every request starts on the black hole and moves on after the timeout.
            Assert.All(await router.RecordsAsync(2), r => Assert.Equal((2, "app-1"), (r.Attempts, r.DestinationId)));
        }
        finally
        {
            fillers.ForEach(s => s.Dispose());
        }
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("DELETE", true)]
    [InlineData("POST", false)]
    public async Task Forward_ReusedConnectionResetBeforeResponse_RetriedOnlyWhenIdempotent(string method, bool retried)
    {
        // Serves the very first request it ever gets (keep-alive), then resets every connection as soon as a request arrives:
        // the second request through the router goes out on the pooled connection and dies before any response byte.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var seen = 0;
        using var stop = new CancellationTokenSource();
        var server = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(stop.Token);
                _ = Task.Run(async () =>
                {
                    using (socket)
                    {
                        var buffer = new byte[8192];
                        while (await socket.ReceiveAsync(buffer) > 0)
                        {
                            if (Interlocked.Increment(ref seen) == 1)
                            {
                                await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nraw"u8.ToArray());
                                continue;
                            }

                            socket.LingerState = new LingerOption(true, 0);
                            socket.Close();
                            return;
                        }
                    }
                });
            }
        });
        await using var good = await StartEchoAsync("good");
        await using var router = await TestRouter.StartAsync(RoundRobin($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", good.Address));

        Assert.Equal((200, "raw"), await SendAsync(router, HttpMethod.Get));
        Assert.Equal((200, "good:GET:"), await SendAsync(router, HttpMethod.Get));
        // Round robin is back on the raw server, whose pooled connection is now a trap. No body: only the method decides.
        var (status, body) = await SendAsync(router, new HttpMethod(method), path: "/third");

        var record = (await router.RecordsAsync(3)).Single(r => r.Path == "/third");
        if (retried)
        {
            Assert.Equal((200, $"good:{method}:"), (status, body));
            Assert.Equal((2, "app-1", RequestOutcome.Ok), (record.Attempts, record.DestinationId, record.Outcome));
        }
        else
        {
            Assert.Equal(502, status);
            Assert.Equal((1, "app-0", RequestOutcome.UpstreamError), (record.Attempts, record.DestinationId, record.Outcome));
        }

        await stop.CancelAsync();
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => server);
    }
}
