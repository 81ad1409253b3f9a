using System.Net;
using System.Text;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// `gantry server --otlp-endpoint`: the server pushes its metrics over OTLP/HTTP (protobuf) to a collector. The collector
/// here is a plain HTTP listener that keeps what it is sent: the test reads the protobuf's strings (metric names,
/// resource attributes), which protobuf stores as plain UTF-8.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Server_WithAnOtlpEndpoint_PushesItsMetricsAsProtobufWithItsInstallation()
    {
        var port = FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new List<(string Path, string? ContentType, byte[] Body)>();
        var receiving = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (received)
                {
                    received.Add((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
                }
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        await using (var server = await GantryServerProcess.StartAsync(arguments: ["--otlp-endpoint", $"http://127.0.0.1:{port}", "--otlp-interval", "1s"]))
        {
            List<(string Path, string? ContentType, byte[] Body)> Exports()
            {
                lock (received)
                {
                    return [.. received];
                }
            }
            Assert.True(await EngineProbe.EventuallyAsync(() => Task.FromResult(Exports().Count > 0), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)),
                "nothing reached the collector\n" + server.Log);
            var export = Exports()[0];
            Assert.Equal("/v1/metrics", export.Path);
            Assert.Equal("application/x-protobuf", export.ContentType);
            var text = Encoding.UTF8.GetString(export.Body);
            Assert.Contains("gantry_apps", text, StringComparison.Ordinal);
            Assert.Contains("gantry-server", text, StringComparison.Ordinal);
            Assert.Contains(server.InstallationId, text, StringComparison.Ordinal);
            Assert.Contains("exporting over OTLP to http://127.0.0.1:" + port, server.Log, StringComparison.Ordinal);
        }
        collector.Stop();
        await receiving;
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
