using Microsoft.AspNetCore.Http;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Hosting;

public sealed class TlsAndHttp2Tests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-router-certs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void WriteCertificate(string fileName, params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + names[0], key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(_dir, fileName + ".crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, fileName + ".key"), key.ExportPkcs8PrivateKeyPem());
    }

    [Theory]
    [InlineData("app.test", "CN=app.test")]
    [InlineData("x.wild.test", "CN=*.wild.test")]
    public async Task Https_Http2ViaAlpn_SelectsCertificateBySni(string host, string expectedSubject)
    {
        WriteCertificate("app", "app.test");
        WriteCertificate("wild", "*.wild.test");
        await using var backend = await TestBackend.StartNamedAsync("secure");
        var table = Tables.Table(1, [Tables.Route("app", "app", "app.test"), Tables.Route("wild", "app", "*.wild.test")], Tables.Cluster("app", backend.Address));
        await using var router = await TestRouter.StartAsync(table, o => o with
        {
            ExternalHttps = new IPEndPoint(IPAddress.Loopback, 0),
            CertificatesDirectory = _dir,
        });
        var port = router.Router.ExternalHttpsPort!.Value;
        string? subject = null;
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
        {
            subject = cert?.Subject;
            return true;
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{host}:{port}/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("secure", await response.Content.ReadAsStringAsync());
        Assert.Equal(expectedSubject, subject);
    }

    [Fact]
    public async Task Https_Http1ServedByTheFrontAndHttp2ByKestrel_BothSayHttpsUpstream()
    {
        WriteCertificate("app", "app.test");
        await using var backend = await TestBackend.StartAsync(ctx => ctx.Response.WriteAsync(ctx.Request.Headers["X-Forwarded-Proto"].ToString()));
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address), o => o with
        {
            ExternalHttps = new IPEndPoint(IPAddress.Loopback, 0),
            CertificatesDirectory = _dir,
        });
        var port = router.Router.ExternalHttpsPort!.Value;
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var client = new HttpClient(handler);

        foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"https://app.test:{port}/") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await client.SendAsync(request);

            Assert.Equal(version, response.Version);
            Assert.Equal("https", await response.Content.ReadAsStringAsync());
        }

        // HTTP/1.1 over TLS was the front's; the HTTP/2 connection's preface is not in its subset, so Kestrel took that one.
        Assert.Equal(1, router.Router.Metrics.FrontFallbacks);
    }

    [Fact]
    public async Task H2c_PriorKnowledge_Forwarded()
    {
        await using var backend = await TestBackend.StartNamedAsync("h2c");
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address), o => o with { ExternalH2c = new IPEndPoint(IPAddress.Loopback, 0) });
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{router.Router.ExternalH2cPort}/")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("body"),
        };
        request.Headers.Host = "app.test";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("h2c", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RedirectToHttps_PlainHttp_Answers308()
    {
        WriteCertificate("app", "app.test");
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address), o => o with
        {
            ExternalHttps = new IPEndPoint(IPAddress.Loopback, 0),
            CertificatesDirectory = _dir,
            RedirectToHttps = true,
        });

        using var response = await router.GetAsync("app.test", "/a?b=c");

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal($"https://app.test:{router.Router.ExternalHttpsPort}/a?b=c", response.Headers.Location!.ToString());
        Assert.Equal(0, backend.Requests);
    }
}
