using System.Net.Sockets;
using System.Text;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Observability;
using Gantry.Router.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Tests.Hosting;

/// <summary>Malformed requests on a raw socket (HttpClient refuses to send them): the router answers them itself, with 400.</summary>
public class RequestEdgeTests
{
    private static async Task<string> SendRawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var response = new StringBuilder();
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cts.Token)) > 0)
            {
                response.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // The server may reset after its 400.
        }

        return response.ToString();
    }

    private static async Task<RequestRecord> LastRecordAsync(TestRouter router)
    {
        // The record is added when the handler finishes, which may be just after the client saw the response.
        for (var i = 0; i < 250; i++)
        {
            if (router.Router.Recent.Slowest(1) is [var record])
            {
                return record;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("the router recorded no request");
    }

    [Fact]
    public async Task Request_MalformedChunkSize_Answered400AndLoggedAsBadRequest()
    {
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            await reader.ReadToEndAsync();
            await ctx.Response.WriteAsync("ok");
        });
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));

        var response = await SendRawAsync(router.Router.ExternalHttpPort,
            "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        var record = await LastRecordAsync(router);
        Assert.Equal(RequestOutcome.BadRequest, record.Outcome);
        Assert.Equal(400, record.Status);
        Assert.Equal("bad-request", AccessLogFormat.OutcomeName(record.Outcome));
    }

    [Fact]
    public async Task Request_ClientResetsMidUpload_LoggedAsClientAborted()
    {
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            await reader.ReadToEndAsync();
            await ctx.Response.WriteAsync("ok");
        });
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", router.Router.ExternalHttpPort);
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1000\r\n\r\nonly-a-little"));
            await Task.Delay(200);
            // Linger 0: close with a reset, as a client that dies does. The socket itself, not the TcpClient: disposing the
            // client's stream shuts the socket down first, and that FIN would race the reset to the router.
            client.Client.LingerState = new LingerOption(true, 0);
            client.Client.Dispose();
        }

        var record = await LastRecordAsync(router);
        Assert.Equal(RequestOutcome.ClientAborted, record.Outcome);
    }

    [Theory]
    [InlineData("app.test:70000")]
    [InlineData("app.test:0")]
    [InlineData("app.test:65536")]
    [InlineData("app.test:99999999999")]
    public async Task Request_HostPortOutOfRange_Answered400NotRouted(string host)
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));

        var response = await SendRawAsync(router.Router.ExternalHttpPort,
            $"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Equal(0, backend.Requests);
    }

    [Theory]
    [InlineData("GET http://app.test:70000/ HTTP/1.1\r\nHost: app.test:70000\r\nConnection: close\r\n\r\n")]
    [InlineData("GET / HTTP/1.0\r\nHost: app.test:70000\r\n\r\n")]
    [InlineData("GET http://app.test:70000/ HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: app.test:0065535\r\nConnection: close\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: app.test.:99999\r\nConnection: close\r\n\r\n")]
    public async Task Request_PortOutOfRangeInOtherForms_Answered400NotRouted(string request)
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));

        var response = await SendRawAsync(router.Router.ExternalHttpPort, request);

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Equal(0, backend.Requests);
    }

    [Theory]
    [InlineData("app.test:70000", 400)]
    [InlineData("app.test:0", 400)]
    [InlineData("app.test.:65536", 400)]
    [InlineData("app.test:8080", 200)]
    [InlineData("App.Test.", 200)]
    public async Task Request_Http2Authority_PortOutOfRangeAnswered400(string authority, int expected)
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address),
            o => o with { ExternalH2c = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0) });

        var status = await RawHttp2.GetStatusAsync(router.Router.ExternalH2cPort!.Value, authority);

        Assert.Equal(expected, status);
        Assert.Equal(expected == 200 ? 1 : 0, backend.Requests);
    }

    [Fact]
    public async Task Request_HostPortNotNumeric_Answered400NotRouted()
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));

        var response = await SendRawAsync(router.Router.ExternalHttpPort,
            "GET / HTTP/1.1\r\nHost: app.test:http\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Equal(0, backend.Requests);
    }

    [Theory]
    [InlineData("app.test.")]
    [InlineData("APP.Test.")]
    [InlineData("app.test.:8080")]
    public async Task Request_HostWithTrailingDotOrCase_RoutedToTheSameHost(string host)
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));

        var response = await SendRawAsync(router.Router.ExternalHttpPort,
            $"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Contains("X-Backend: b", response, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, backend.Requests);
    }

    [Fact]
    public async Task Request_HostWithTwoTrailingDots_NotRouted()
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));

        var response = await SendRawAsync(router.Router.ExternalHttpPort,
            "GET / HTTP/1.1\r\nHost: app.test..\r\nConnection: close\r\n\r\n");

        Assert.DoesNotContain("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Equal(0, backend.Requests);
    }
}
