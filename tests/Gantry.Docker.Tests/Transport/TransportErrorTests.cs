using System.Net;
using System.Net.Sockets;

namespace Gantry.Docker.Tests.Transport;

public sealed class TransportErrorTests
{
    [Fact]
    public async Task PingAsync_MissingSocketPath_ThrowsTransientTransportException()
    {
        await using var client = new DockerClient(new DockerClientOptions { Endpoint = new Uri("unix:///tmp/gdt-no-such-dir/docker.sock") });

        var ex = await Assert.ThrowsAsync<DockerTransportException>(() => client.System.PingAsync());

        Assert.True(ex.IsTransient);
        Assert.Contains("unix:///tmp/gdt-no-such-dir/docker.sock", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InfoAsync_ClosedTcpPort_ThrowsTransportException()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var client = new DockerClient(new DockerClientOptions { Endpoint = new Uri($"tcp://127.0.0.1:{port}") });

        var ex = await Assert.ThrowsAsync<DockerTransportException>(() => client.System.InfoAsync());

        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task InfoAsync_DaemonNeverAnswers_TimesOutAsTransportException()
    {
        await using var fake = new FakeDaemon(rawResponse: null);
        await using var client = new DockerClient(new DockerClientOptions
        {
            Endpoint = fake.Endpoint,
            ApiVersion = "1.41",
            RequestTimeout = TimeSpan.FromMilliseconds(300),
        });

        var ex = await Assert.ThrowsAsync<DockerTransportException>(() => client.System.InfoAsync());

        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InfoAsync_CallerCancels_ThrowsOperationCanceledNotTransport()
    {
        await using var fake = new FakeDaemon(rawResponse: null);
        await using var client = new DockerClient(new DockerClientOptions { Endpoint = fake.Endpoint, ApiVersion = "1.41" });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.System.InfoAsync(cts.Token));
    }

    [Fact]
    public async Task InfoAsync_PlainTextErrorBody_KeepsStatusAndText()
    {
        await using var fake = new FakeDaemon(FakeDaemon.Http(502, "Bad Gateway", "text/plain", "upstream daemon is restarting"));
        await using var client = new DockerClient(new DockerClientOptions { Endpoint = fake.Endpoint, ApiVersion = "1.41" });

        var ex = await Assert.ThrowsAsync<DockerApiException>(() => client.System.InfoAsync());

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Equal("upstream daemon is restarting", ex.DaemonMessage);
        Assert.False(ex.IsNotFound);
    }

    [Fact]
    public async Task VersionNegotiation_NewerDaemon_CapsAtClientMaximum()
    {
        await using var fake = new FakeDaemon(FakeDaemon.Http(200, "OK", "application/json", """{"Version":"99.0","ApiVersion":"1.99"}"""));
        await using var client = new DockerClient(new DockerClientOptions { Endpoint = fake.Endpoint });

        Assert.Equal(DockerClientOptions.MaxApiVersion, await client.System.GetApiVersionAsync());
    }

    [Fact]
    public async Task EventsStream_ConnectionDropsMidBody_ThrowsTransportException()
    {
        const string truncated = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "26\r\n{\"Type\":\"container\",\"Action\":\"start\"}\n\r\n" + "10\r\n{\"Type\":\"conta";
        await using var fake = new FakeDaemon(truncated);
        await using var client = new DockerClient(new DockerClientOptions { Endpoint = fake.Endpoint, ApiVersion = "1.41" });
        var seen = new List<string>();

        var ex = await Assert.ThrowsAsync<DockerTransportException>(async () =>
        {
            await foreach (var message in client.Events.StreamAsync())
            {
                seen.Add(message.Action);
            }
        });

        Assert.Equal(["start"], seen);
        Assert.True(ex.IsTransient);
    }
}
