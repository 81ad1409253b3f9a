using System.Net.WebSockets;
using System.Text;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Forwarder;

public class UpgradeTests
{
    [Fact]
    public async Task WebSocket_EchoThroughRouter_RoundTripsMessages()
    {
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            if (!ctx.WebSockets.IsWebSocketRequest)
            {
                ctx.Response.StatusCode = 400;
                return;
            }

            using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
            }
        }, webSockets: true);
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));

        using var client = new ClientWebSocket();
        client.Options.SetRequestHeader("Host", "app.test");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{router.Router.ExternalHttpPort}/ws"), timeout.Token);
        var received = new List<string>();
        var buffer = new byte[4096];
        foreach (var message in new[] { "hello", "gantry", new string('z', 3000) })
        {
            await client.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, timeout.Token);
            var result = await client.ReceiveAsync(buffer, timeout.Token);
            received.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);

        Assert.Equal(["hello", "gantry", new string('z', 3000)], received);
        Assert.Equal(WebSocketState.Closed, client.State);
        var record = await BodyStreamingTests.WaitForRecordAsync(router, r => r.Status == 101);
        Assert.True(record.BytesIn > 3000);
    }
}
