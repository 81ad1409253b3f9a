using System.Net;
using System.Net.Sockets;
using System.Text;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Hosting;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Front;

/// <summary>The plain-HTTP front (docs/decisions/0028): what it serves itself, how it hands a connection to Kestrel, and its own
/// connection rules. Clients and backends are raw sockets, so every byte on both sides is the test's.</summary>
public class PlainFrontTests
{
    /// <summary>A backend that answers every request with the head it received as the body.</summary>
    private static RawBackend EchoHeadBackend() => RawBackend.Start(async c =>
    {
        while (await c.ReadHeadAsync() is { } head)
        {
            if (head.Contains("Content-Length: 5", StringComparison.Ordinal))
            {
                await c.ReadBytesAsync(5);
            }

            var body = Encoding.Latin1.GetBytes(head);
            await c.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n");
            await c.WriteAsync(body);
        }
    });

    private static async Task<RawConnection> ConnectAsync(TestRouter router)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, router.Router.ExternalHttpPort);
        return new RawConnection(socket);
    }

    /// <summary>Reads one response with a Content-Length: its head and its body as text.</summary>
    private static async Task<(string Head, string Body)> ReadResponseAsync(RawConnection client)
    {
        var head = await client.ReadHeadAsync() ?? throw new IOException("the router closed the connection");
        var length = head.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..].Trim();
        return (head, Encoding.Latin1.GetString(await client.ReadBytesAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task PlainGet_ServedByTheFront_WithTheRouterFieldsAndWithoutHopByHopOnes()
    {
        await using var backend = EchoHeadBackend();
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        using var client = await ConnectAsync(router);

        await client.WriteAsync("GET /a/b?c=1&d HTTP/1.1\r\nHost: App.Test:80\r\nX-Forwarded-For: 6.6.6.6\r\nKeep-Alive: timeout=5\r\n" +
            "Proxy-Authorization: Basic eA==\r\nConnection: keep-alive\r\nX-Custom:  spaced value \r\nX-Request-Id: client-id-1\r\n\r\n");
        var (head, upstream) = await ReadResponseAsync(client);

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Request-Id: client-id-1\r\n", head, StringComparison.Ordinal);
        Assert.StartsWith("GET /a/b?c=1&d HTTP/1.1\r\nHost: App.Test:80\r\n", upstream, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Custom: spaced value\r\n", upstream, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: App.Test:80\r\ntraceparent: 00-", upstream, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Request-Id: client-id-1\r\n", upstream, StringComparison.Ordinal);
        foreach (var gone in new[] { "6.6.6.6", "Keep-Alive", "Proxy-Authorization", "Connection" })
        {
            Assert.DoesNotContain(gone, upstream, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(0, router.Router.Metrics.FrontFallbacks);
        var record = Assert.Single(await router.RecordsAsync(1));
        Assert.Equal(("App.Test", "/a/b", 200, RequestOutcome.Ok), (record.Host, record.Path, record.Status, record.Outcome));
        Assert.True(record.HeadersTs > record.FirstWriteTs && record.EndTs >= record.HeadersTs, "the phases are recorded");
    }

    [Fact]
    public async Task ConnectionNamingFields_ThoseFieldsStopAtTheRouter()
    {
        await using var backend = EchoHeadBackend();
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        using var client = await ConnectAsync(router);

        await client.WriteAsync("GET /c HTTP/1.1\r\nHost: app.test\r\nConnection: keep-alive, X-Secret,x-other\r\nX-Secret: s\r\nX-Other: o\r\nX-Kept: k\r\n\r\n");
        var (_, upstream) = await ReadResponseAsync(client);

        Assert.Contains("\r\nX-Kept: k\r\n", upstream, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Secret", upstream, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("X-Other", upstream, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, router.Router.Metrics.FrontFallbacks);
    }

    [Fact]
    public async Task Pipelined_SeveralRequestsInOneWrite_AnsweredInOrderOnOneUpstreamConnection()
    {
        await using var backend = EchoHeadBackend();
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        using var client = await ConnectAsync(router);

        await client.WriteAsync(string.Concat(Enumerable.Range(1, 5).Select(i => $"GET /n{i} HTTP/1.1\r\nHost: app.test\r\n\r\n")));

        for (var i = 1; i <= 5; i++)
        {
            var (_, upstream) = await ReadResponseAsync(client);
            Assert.StartsWith($"GET /n{i} HTTP/1.1\r\n", upstream, StringComparison.Ordinal);
        }

        Assert.Equal(1, backend.Connections);
        Assert.Equal(0, router.Router.Metrics.FrontFallbacks);
    }

    [Fact]
    public async Task HeadInPieces_ServedOnceWhole()
    {
        await using var backend = EchoHeadBackend();
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        using var client = await ConnectAsync(router);

        foreach (var piece in new[] { "GE", "T /slow HTTP/1.1\r", "\nHost: app.test\r\n", "\r", "\n" })
        {
            await client.WriteAsync(piece);
            await Task.Delay(50);
        }

        var (_, upstream) = await ReadResponseAsync(client);
        Assert.StartsWith("GET /slow HTTP/1.1\r\n", upstream, StringComparison.Ordinal);
        Assert.Equal(0, router.Router.Metrics.FrontFallbacks);
    }

    [Fact]
    public async Task RequestWithABody_MidConnection_KestrelTakesTheConnectionAndEveryRequestIsAnswered()
    {
        await using var backend = EchoHeadBackend();
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        using var client = await ConnectAsync(router);

        await client.WriteAsync("GET /first HTTP/1.1\r\nHost: app.test\r\n\r\n");
        Assert.StartsWith("GET /first ", (await ReadResponseAsync(client)).Body, StringComparison.Ordinal);
        Assert.Equal(0, router.Router.Metrics.FrontFallbacks);

        await client.WriteAsync("POST /second HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\n\r\nhello");
        Assert.StartsWith("POST /second ", (await ReadResponseAsync(client)).Body, StringComparison.Ordinal);
        await client.WriteAsync("GET /third HTTP/1.1\r\nHost: app.test\r\n\r\n");
        Assert.StartsWith("GET /third ", (await ReadResponseAsync(client)).Body, StringComparison.Ordinal);

        Assert.Equal(1, router.Router.Metrics.FrontFallbacks);
        Assert.Equal(3, (await router.RecordsAsync(3)).Count(r => r.Outcome == RequestOutcome.Ok));
    }

    [Theory]
    [InlineData("GET /a%2Fb HTTP/1.1\r\nHost: app.test\r\n\r\n", "GET /a%2Fb ")]          // percent-encoding: Kestrel decodes the path it matches
    [InlineData("GET /a/../b HTTP/1.1\r\nHost: app.test\r\n\r\n", "GET /a/../b ")]        // dot segments: Kestrel normalises the path it matches
    [InlineData("GET /old HTTP/1.0\r\nHost: app.test\r\n\r\n", "GET /old ")]               // HTTP/1.0
    [InlineData("PATCH /p HTTP/1.1\r\nHost: app.test\r\n\r\n", "PATCH /p ")]              // a method the front does not take
    [InlineData("GET /u HTTP/1.1\r\nHost: app.test\r\nX-Name: caf\u00e9\r\n\r\n", "GET /u ")] // a value beyond ASCII
    public async Task OutsideTheSubset_KestrelsPathAnswersAsItAlwaysDid(string request, string upstreamStart)
    {
        await using var backend = EchoHeadBackend();
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        using var client = await ConnectAsync(router);

        await client.WriteAsync(request);
        var (head, upstream) = await ReadResponseAsync(client);

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
        Assert.StartsWith(upstreamStart, upstream, StringComparison.Ordinal);
        Assert.Equal(1, router.Router.Metrics.FrontFallbacks);
    }

    [Fact]
    public async Task BadRequest_KestrelAnswers400()
    {
        await using var backend = EchoHeadBackend();
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        using var client = await ConnectAsync(router);

        await client.WriteAsync("GET /x HTTP/1.1\r\nHost: app.test\r\nBad Name: v\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 ", await client.ReadHeadAsync(), StringComparison.Ordinal);
        Assert.Equal(0, backend.Connections);
    }

    [Fact]
    public async Task ConnectionClose_AnsweredWithCloseThenTheConnectionEnds()
    {
        await using var backend = EchoHeadBackend();
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        using var client = await ConnectAsync(router);

        await client.WriteAsync("GET /bye HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");
        var (head, upstream) = await ReadResponseAsync(client);

        Assert.Contains("\r\nConnection: close\r\n", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection", upstream, StringComparison.Ordinal);
        Assert.Null(await client.ReadHeadAsync());
    }

    [Fact]
    public async Task IdleClientConnection_ClosedAfterTheKeepAliveTimeout()
    {
        await using var backend = EchoHeadBackend();
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address), o => o with { KeepAliveTimeout = TimeSpan.FromSeconds(1) });
        using var client = await ConnectAsync(router);
        await client.WriteAsync("GET /once HTTP/1.1\r\nHost: app.test\r\n\r\n");
        await ReadResponseAsync(client);

        var closed = client.ReadHeadAsync();

        Assert.Same(closed, await Task.WhenAny(closed, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Null(await closed);
    }

    [Fact]
    public async Task NoDestination_503WithRetryAfterAndTheConnectionKept()
    {
        await using var router = await TestRouter.StartAsync(Tables.Single("http://127.0.0.1:9", cluster: c => c with
        {
            Destinations = [c.Destinations[0] with { Weight = 0 }],
        }));
        using var client = await ConnectAsync(router);

        await client.WriteAsync("GET /a HTTP/1.1\r\nHost: app.test\r\n\r\nGET /b HTTP/1.1\r\nHost: app.test\r\n\r\n");
        var first = await client.ReadHeadAsync();
        var second = await client.ReadHeadAsync();

        foreach (var head in new[] { first, second })
        {
            Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\n", head, StringComparison.Ordinal);
            Assert.Contains("\r\nRetry-After: 5\r\n", head, StringComparison.Ordinal);
            Assert.Contains("\r\nX-Request-Id: ", head, StringComparison.Ordinal);
        }

        Assert.Equal(0, router.Router.Metrics.FrontFallbacks);
    }

    [Fact]
    public async Task DestinationRefuses_OtherDestinationServesAndNothingFails()
    {
        await using var backend = EchoHeadBackend();
        // Port 9 (discard) is closed here: a connect failure, which is retried on the other destination whatever the method.
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address, cluster: c => c with
        {
            LoadBalancing = "round-robin",
            Destinations = [c.Destinations[0] with { Id = "dead", Address = "http://127.0.0.1:9" }, c.Destinations[0]],
        }));
        using var client = await ConnectAsync(router);

        for (var i = 0; i < 4; i++)
        {
            await client.WriteAsync($"DELETE /r{i} HTTP/1.1\r\nHost: app.test\r\n\r\n");
            Assert.StartsWith($"DELETE /r{i} ", (await ReadResponseAsync(client)).Body, StringComparison.Ordinal);
        }

        Assert.Contains(await router.RecordsAsync(4), r => r.Attempts == 2 && r.Outcome == RequestOutcome.Ok);
    }

    [Fact]
    public async Task BodyInPieces_AfterTheHandOver_ReachesTheBackendWholeAndTheNextRequestIsAnswered()
    {
        await using var backend = EchoHeadBackend();
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        using var client = await ConnectAsync(router);

        // The front has read the head and two bytes of the body when it hands the connection over: Kestrel reads those first,
        // then the rest from the socket, then a request that came in the same write as the body's end.
        await client.WriteAsync("POST /p HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\n\r\nhe");
        await Task.Delay(100);
        await client.WriteAsync("lloGET /after HTTP/1.1\r\nHost: app.test\r\n\r\n");

        Assert.StartsWith("POST /p ", (await ReadResponseAsync(client)).Body, StringComparison.Ordinal);
        Assert.StartsWith("GET /after ", (await ReadResponseAsync(client)).Body, StringComparison.Ordinal);
        Assert.Equal(1, router.Router.Metrics.FrontFallbacks);
    }

    [Theory]
    [InlineData(6 * 1024, 0)]  // longer than the front's first read buffer: the buffer grows, the front serves it
    [InlineData(9 * 1024, 1)]  // longer than the front's 8 KiB limit: Kestrel's path (32 KiB) serves it
    public async Task LongHead_ServedWhole(int fieldBytes, int fallbacks)
    {
        await using var backend = EchoHeadBackend();
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        using var client = await ConnectAsync(router);
        var value = new string('v', fieldBytes);

        await client.WriteAsync($"GET /long HTTP/1.1\r\nHost: app.test\r\nX-Long: {value}\r\n\r\n");
        var (head, upstream) = await ReadResponseAsync(client);

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
        Assert.Contains($"\r\nX-Long: {value}\r\n", upstream, StringComparison.Ordinal);
        Assert.Equal(fallbacks, router.Router.Metrics.FrontFallbacks);
    }

    [Fact]
    public async Task RouterStopping_ARequestInFlightIsAnsweredAndAnIdleConnectionCloses()
    {
        var answer = new TaskCompletionSource();
        await using var backend = RawBackend.Start(async c =>
        {
            while (await c.ReadHeadAsync() is not null)
            {
                await answer.Task;
                await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate");
            }
        });
        var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        using var busy = await ConnectAsync(router);
        using var idle = await ConnectAsync(router);
        await busy.WriteAsync("GET /slow HTTP/1.1\r\nHost: app.test\r\n\r\n");
        while (backend.Connections == 0)
        {
            await Task.Delay(20);
        }

        var stopping = router.DisposeAsync().AsTask();
        Assert.Null(await idle.ReadHeadAsync());
        Assert.False(stopping.IsCompleted, "the router waits for the request inside it");
        answer.SetResult();

        var (head, body) = await ReadResponseAsync(busy);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
        Assert.Equal("late", body);
        Assert.Null(await busy.ReadHeadAsync());
        await stopping;
    }
}
