using System.Net.Sockets;
using System.Text;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Upstream;

/// <summary>The router's own HTTP/1.1 client against backends that misbehave on purpose (raw sockets), behind the plain-HTTP
/// front (<see cref="Gantry.Router.Front.Http1Front"/>) for the requests it serves; <see cref="UpstreamPoolKestrelPathTests"/>
/// runs every one of these again with the front off, through Kestrel's HTTP/1.1 and the full request path.</summary>
public class UpstreamPoolTests
{
    protected virtual bool PlainFront => true;

    private Task<TestRouter> StartRouterAsync(string backend) =>
        TestRouter.StartAsync(Tables.Single(backend), o => o with { PlainFront = PlainFront });

    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static async Task ServeEachAsync(RawConnection connection, Func<string, Task<bool>> answer)
    {
        while (await connection.ReadHeadAsync() is { } head)
        {
            if (!await answer(head))
            {
                return;
            }
        }
    }

    [Fact]
    public async Task KeptConnection_BackendClosesAfterEveryResponse_EveryRequestAnswered()
    {
        // A backend that closes each connection right after answering, without saying "Connection: close": the router's kept
        // connection is dead by the next request, sometimes before the router has seen the close.
        await using var backend = RawBackend.Start(async c =>
        {
            if (await c.ReadHeadAsync() is not null)
            {
                await c.WriteAsync(Ok);
            }
        });
        await using var router = await StartRouterAsync(backend.Address);

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("200 ok", await router.GetStringAsync("app.test", $"/n{i}"));
            if (i is 10 or 20)
            {
                // Idle long enough that the pool checks the connection before using it.
                await Task.Delay(1200);
            }
        }

        Assert.All(await router.RecordsAsync(30), r => Assert.Equal((1, RequestOutcome.Ok), (r.Attempts, r.Outcome)));
        Assert.Equal(30, backend.Connections);
    }

    [Fact]
    public async Task Backend_AnswersBeforeReadingTheBody_ResponseRelayedAndConnectionNotReused()
    {
        await using var backend = RawBackend.Start(c => ServeEachAsync(c, async head =>
        {
            if (head.StartsWith("POST", StringComparison.Ordinal))
            {
                // Refuse at once, without reading a byte of the body, and keep the connection open.
                await c.WriteAsync("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 4\r\n\r\nbig!");
                await Task.Delay(TimeSpan.FromSeconds(10));
                return false;
            }

            await c.WriteAsync(Ok);
            return true;
        }));
        await using var router = await StartRouterAsync(backend.Address);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", router.Router.ExternalHttpPort);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1000000\r\n\r\n"));
            await stream.WriteAsync(new byte[1000]);
            var response = await ReadUntilAsync(stream, "big!");
            Assert.StartsWith("HTTP/1.1 413", response, StringComparison.Ordinal);
        }

        Assert.Equal("200 ok", await router.GetStringAsync("app.test"));
        // The first connection still holds half a request: the GET had to open a new one.
        Assert.Equal(2, backend.Connections);
        var post = (await router.RecordsAsync(2)).Single(r => r.Path == "/upload");
        Assert.Equal((413, RequestOutcome.Ok), (post.Status, post.Outcome));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nBad Header\r\n\r\n", "malformed header line")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n", "obsolete line folding")]
    [InlineData("HTTP/1.1 OK\r\n\r\n", "malformed status line")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n", "malformed status line")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", "conflicting Content-Length")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "did not ask to upgrade")]
    public async Task Backend_MalformedHead_Answers502WithTheReason(string head, string reason)
    {
        await using var backend = RawBackend.Start(async c =>
        {
            if (await c.ReadHeadAsync() is not null)
            {
                await c.WriteAsync(head);
                await Task.Delay(500);
            }
        });
        await using var router = await StartRouterAsync(backend.Address);

        using var response = await router.GetAsync("app.test", "/bad");

        Assert.Equal(502, (int)response.StatusCode);
        var record = (await router.RecordsAsync(1)).Single(r => r.Path == "/bad");
        Assert.Equal(RequestOutcome.UpstreamError, record.Outcome);
        Assert.Contains(reason, record.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backend_HeadLargerThan64KiB_Answers502()
    {
        var huge = "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 70 * 1024) + "\r\n\r\n";
        await using var backend = RawBackend.Start(async c =>
        {
            if (await c.ReadHeadAsync() is not null)
            {
                await c.WriteAsync(huge);
                await Task.Delay(500);
            }
        });
        await using var router = await StartRouterAsync(backend.Address);

        using var response = await router.GetAsync("app.test", "/big");

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Contains("larger than 64 KiB", (await router.RecordsAsync(1))[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backend_ChunkedResponseInPieces_RelayedIntactAndConnectionKept()
    {
        await using var backend = RawBackend.Start(c => ServeEachAsync(c, async _ =>
        {
            // Split at awkward places: inside the size line, between data and its CRLF, inside the trailer.
            foreach (var piece in new[] { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n5;ext", "=1\r\nhel", "lo", "\r\n1\r\n \r", "\n5\r\nworld\r\n0\r\nX-Tra", "iler: t\r\n\r\n" })
            {
                await c.WriteAsync(piece);
                await Task.Delay(5);
            }

            return true;
        }));
        await using var router = await StartRouterAsync(backend.Address);

        for (var i = 0; i < 3; i++)
        {
            using var response = await router.GetAsync("app.test");
            // Re-chunked by the router; the backend's Content-Length (contradicted by its chunking) is not passed on.
            Assert.True(response.Headers.TransferEncodingChunked);
            Assert.Equal("hello world", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, backend.Connections);
    }

    [Fact]
    public async Task Backend_LargeChunkedResponse_EveryByteArrives()
    {
        var payload = new byte[300 * 1024];
        new Random(7).NextBytes(payload);
        await using var backend = RawBackend.Start(c => ServeEachAsync(c, async _ =>
        {
            await c.WriteAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (var offset = 0; offset < payload.Length; offset += 7000)
            {
                var size = Math.Min(7000, payload.Length - offset);
                await c.WriteAsync($"{size:X}\r\n");
                await c.WriteAsync(payload[offset..(offset + size)]);
                await c.WriteAsync("\r\n");
            }

            await c.WriteAsync("0\r\n\r\n");
            return true;
        }));
        await using var router = await StartRouterAsync(backend.Address);

        using var response = await router.GetAsync("app.test");

        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Backend_LargeBodyWithLength_EveryByteArrivesAtOnceOnAKeptClientConnection()
    {
        // A client that keeps its connection open sees the end of the body only if the router sends it: the last piece
        // once sat unflushed in Kestrel's pipe behind earlier flushes and arrived seconds late.
        const int Size = 100 * 1024;
        await using var backend = RawBackend.Start(c => ServeEachAsync(c, async _ =>
        {
            await c.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Length: {Size}\r\n\r\n");
            for (var sent = 0; sent < Size; sent += 10 * 1024)
            {
                await c.WriteAsync(new byte[10 * 1024]);
            }

            return true;
        }));
        await using var router = await StartRouterAsync(backend.Address);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", router.Router.ExternalHttpPort);
        var stream = client.GetStream();

        for (var i = 0; i < 3; i++)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /big HTTP/1.1\r\nHost: app.test\r\n\r\n"));
            var head = await ReadUntilAsync(stream, "\r\n\r\n");
            var headEnd = head.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
            var received = Encoding.Latin1.GetByteCount(head) - headEnd;
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            var buffer = new byte[16 * 1024];
            while (received < Size)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, Size - received)), quick.Token);
                Assert.NotEqual(0, read);
                received += read;
            }

            Assert.Equal(Size, received);
        }
    }

    [Fact]
    public async Task Backend_InterimResponses_DroppedAndTheFinalOneRelayed()
    {
        await using var backend = RawBackend.Start(c => ServeEachAsync(c, async _ =>
        {
            await c.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n");
            await Task.Delay(20);
            await c.WriteAsync("HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n");
            await Task.Delay(20);
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Final: yes\r\n\r\nfinal");
            return true;
        }));
        await using var router = await StartRouterAsync(backend.Address);

        using var response = await router.GetAsync("app.test");

        Assert.Equal((200, "final", "yes"), ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.GetValues("X-Final").Single()));
        Assert.Equal("200 final", await router.GetStringAsync("app.test"));
        Assert.Equal(1, backend.Connections);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task Destination_GoesAwayMidBody_ClientConnectionBrokenAndLogged(bool chunked, bool reset)
    {
        await using var backend = RawBackend.Start(async c =>
        {
            if (await c.ReadHeadAsync() is null)
            {
                return;
            }

            var part = new string('x', 1000);
            await c.WriteAsync(chunked
                ? $"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{part.Length:X}\r\n{part}\r\n"
                : $"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{part}");
            await Task.Delay(100);
            if (reset)
            {
                c.Reset();
            }
        });
        await using var router = await StartRouterAsync(backend.Address);

        using var request = new HttpRequestMessage(HttpMethod.Get, router.External + "/cut") { Headers = { Host = "app.test" } };
        using var response = await router.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());

        var record = await WaitForRecordAsync(router, "/cut");
        Assert.Equal((RequestOutcome.UpstreamError, 1000L), (record.Outcome, record.BytesOut));
        Assert.NotNull(record.Error);
    }

    [Fact]
    public async Task Response_HeadAndNotModified_NoBodyTheirLengthKeptAndConnectionReused()
    {
        await using var backend = RawBackend.Start(c => ServeEachAsync(c, async head =>
        {
            await c.WriteAsync(head.StartsWith("HEAD", StringComparison.Ordinal)
                ? "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
                : head.Contains("If-None-Match", StringComparison.Ordinal)
                    ? "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n"
                    : "HTTP/1.1 204 No Content\r\n\r\n");
            return true;
        }));
        await using var router = await StartRouterAsync(backend.Address);

        using (var request = new HttpRequestMessage(HttpMethod.Head, router.External + "/h") { Headers = { Host = "app.test" } })
        using (var response = await router.Client.SendAsync(request))
        {
            Assert.Equal((200, 1234L), ((int)response.StatusCode, response.Content.Headers.ContentLength));
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, router.External + "/e") { Headers = { Host = "app.test", IfNoneMatch = { new("\"v1\"") } } })
        using (var response = await router.Client.SendAsync(request))
        {
            Assert.Equal((304, "\"v1\""), ((int)response.StatusCode, response.Headers.ETag?.Tag));
        }

        Assert.Equal("204 ", await router.GetStringAsync("app.test", "/n"));
        Assert.Equal(1, backend.Connections);
    }

    [Fact]
    public async Task Response_DelimitedByClose_RelayedAndConnectionNotReused()
    {
        await using var backend = RawBackend.Start(async c =>
        {
            if (await c.ReadHeadAsync() is not null)
            {
                await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
            }
        });
        await using var router = await StartRouterAsync(backend.Address);

        Assert.Equal("200 until the end", await router.GetStringAsync("app.test"));
        Assert.Equal("200 until the end", await router.GetStringAsync("app.test"));
        Assert.Equal(2, backend.Connections);
    }

    [Fact]
    public async Task Response_ManySetCookieFields_AllRelayedInOrder()
    {
        await using var backend = RawBackend.Start(c => ServeEachAsync(c, async _ =>
        {
            await c.WriteAsync("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nConnection: keep-alive, X-Hop\r\nX-Hop: dropped\r\nKeep-Alive: timeout=5\r\nContent-Length: 2\r\n\r\nok");
            return true;
        }));
        await using var router = await StartRouterAsync(backend.Address);

        using var response = await router.GetAsync("app.test");

        Assert.Equal(["a=1", "b=2"], response.Headers.GetValues("Set-Cookie"));
        Assert.False(response.Headers.Contains("X-Hop"));
        Assert.False(response.Headers.Contains("Keep-Alive"));
    }

    [Fact]
    public async Task Request_Head_SentAsTheClientWroteTheTargetWithRouterFields()
    {
        string? seen = null;
        await using var backend = RawBackend.Start(c => ServeEachAsync(c, async head =>
        {
            seen = head;
            await c.WriteAsync(Ok);
            return true;
        }));
        await using var router = await StartRouterAsync(backend.Address);

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", router.Router.ExternalHttpPort);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "GET /a%2Fb/../c?q=%20x HTTP/1.1\r\nHost: app.test\r\nConnection: X-Secret\r\nX-Secret: 1\r\nX-Keep: 2\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n"));
        await ReadUntilAsync(stream, "ok");

        Assert.NotNull(seen);
        Assert.StartsWith("GET /a%2Fb/../c?q=%20x HTTP/1.1\r\nHost: app.test\r\n", seen, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Keep: 2\r\n", seen, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Forwarded-For: 127.0.0.1\r\n", seen, StringComparison.Ordinal);
        Assert.False(seen.Contains("X-Secret", StringComparison.Ordinal), seen);
        Assert.DoesNotContain("6.6.6.6", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection", seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Destination_IdleConnectionsClosedWhenTheRouterStops()
    {
        var closed = new TaskCompletionSource();
        await using var backend = RawBackend.Start(async c =>
        {
            await ServeEachAsync(c, async _ =>
            {
                await c.WriteAsync(Ok);
                return true;
            });
            closed.TrySetResult();
        });
        var router = await StartRouterAsync(backend.Address);
        Assert.Equal("200 ok", await router.GetStringAsync("app.test"));

        await router.DisposeAsync();

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<Gantry.Router.Observability.RequestRecord> WaitForRecordAsync(TestRouter router, string path)
    {
        for (var i = 0; i < 100; i++)
        {
            if (router.Router.Recent.Slowest(50).FirstOrDefault(r => r.Path == path) is { } record)
            {
                return record;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no record for " + path);
    }

    private static async Task<string> ReadUntilAsync(Stream stream, string marker)
    {
        var text = new StringBuilder();
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cts.Token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}

/// <summary><see cref="UpstreamPoolTests"/> with the front off: the same backends through Kestrel's HTTP/1.1 path.</summary>
public sealed class UpstreamPoolKestrelPathTests : UpstreamPoolTests
{
    protected override bool PlainFront => false;
}
