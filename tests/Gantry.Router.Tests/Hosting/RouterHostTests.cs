using System.Net;
using System.Net.Sockets;
using Gantry.Router.Hosting;
using Gantry.Router.Sources;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Hosting;

public class RouterHostTests
{
    [Fact]
    public async Task StartAsync_PortInUse_ThrowsIOException()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        await Assert.ThrowsAsync<IOException>(() => RouterHost.StartAsync(TestRouter.LoopbackOptions() with { ExternalHttp = new IPEndPoint(IPAddress.Loopback, port) }));
    }

    [Fact]
    public async Task StartAsync_InvalidRoutesFile_ThrowsWithEveryError()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, """{"routes":[{"id":"r","hosts":["bad host"],"clusterId":"missing"}]}""");
            var ex = await Assert.ThrowsAsync<RouteTableException>(() => RouterHost.StartAsync(TestRouter.LoopbackOptions() with { RoutesFile = path }));
            Assert.Equal(2, ex.Errors.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task RunAsync_TokenCancelled_StopsListening()
    {
        var port = Forwarder.ForwardingTests.FreePort();
        using var cts = new CancellationTokenSource();
        var run = RouterHost.RunAsync(TestRouter.LoopbackOptions() with { ExternalHttp = new IPEndPoint(IPAddress.Loopback, port) }, cts.Token);
        using var client = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{port}/");
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                break;
            }
            catch (HttpRequestException) when (i < 99)
            {
                await Task.Delay(50);
            }
        }

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{port}/"));
    }
}
