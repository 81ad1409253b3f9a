using System.Net.Sockets;
using System.Text;
using Gantry.Router.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Tests.Forwarder;

/// <summary>Requests written byte by byte on a raw socket, for shapes HttpClient refuses to send.</summary>
public class RawSocketTests
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

    [Fact]
    public async Task Request_TransferEncodingAndContentLength_Rejected400()
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));

        var response = await SendRawAsync(router.Router.ExternalHttpPort,
            "POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: app.test\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task Request_DuplicateContentLength_Rejected400()
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));

        var response = await SendRawAsync(router.Router.ExternalHttpPort,
            "POST / HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\nabc");

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task Request_ChunkedBody_ForwardedIntactAndHopByHopRemoved()
    {
        string? body = null;
        string? te = null;
        string? upgrade = null;
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            body = await reader.ReadToEndAsync();
            te = ctx.Request.Headers["TE"];
            upgrade = ctx.Request.Headers["Upgrade"];
            await ctx.Response.WriteAsync("ok");
        });
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));

        var response = await SendRawAsync(router.Router.ExternalHttpPort,
            "POST /c HTTP/1.1\r\nHost: app.test\r\nTE: trailers\r\nUpgrade: h2c\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Equal("hello world", body);
        Assert.True(string.IsNullOrEmpty(te));
        Assert.True(string.IsNullOrEmpty(upgrade));
    }
}
