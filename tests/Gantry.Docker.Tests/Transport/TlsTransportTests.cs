using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gantry.Docker.Tests.Transport;

public sealed class TlsTransportTests
{
    private const string VersionBody = """{"Version":"20.10.24","ApiVersion":"1.41"}""";

    [Fact]
    public async Task VersionAsync_MutualTlsWithPrivateCa_SucceedsAndPresentsClientCertificate()
    {
        using var ca = CreateCa("gdt-ca");
        using var server = Issue(ca, "localhost", serverAuth: true);
        using var clientCert = Issue(ca, "gdt-client", serverAuth: false);
        await using var daemon = new TlsDaemon(server);
        await using var client = new DockerClient(new DockerClientOptions
        {
            Endpoint = new Uri($"tcp://localhost:{daemon.Port}"),
            UseTls = true,
            CaCertificate = ca,
            ClientCertificate = clientCert,
        });

        var version = await client.System.VersionAsync();

        Assert.Equal("1.41", version.ApiVersion);
        Assert.Equal("CN=gdt-client", await daemon.ClientSubject.Task);
    }

    [Fact]
    public async Task VersionAsync_ServerSignedByUnknownCa_ThrowsTransportException()
    {
        using var ca = CreateCa("gdt-ca");
        using var otherCa = CreateCa("gdt-other-ca");
        using var server = Issue(otherCa, "localhost", serverAuth: true);
        await using var daemon = new TlsDaemon(server);
        await using var client = new DockerClient(new DockerClientOptions
        {
            Endpoint = new Uri($"tcp://localhost:{daemon.Port}"),
            UseTls = true,
            CaCertificate = ca,
        });

        await Assert.ThrowsAsync<DockerTransportException>(() => client.System.VersionAsync());
    }

    private static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
        }

        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12),
            RandomNumberGenerator.GetBytes(8));
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Answers one TLS connection with a canned /version response and records the client certificate.</summary>
    private sealed class TlsDaemon : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _serve;

        public TlsDaemon(X509Certificate2 certificate)
        {
            _listener.Start();
            _serve = ServeAsync(certificate);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public TaskCompletionSource<string?> ClientSubject { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task ServeAsync(X509Certificate2 certificate)
        {
            try
            {
                using var socket = await _listener.AcceptTcpClientAsync();
                await using var tls = new SslStream(socket.GetStream(), false);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateRequired = true,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                });
                ClientSubject.TrySetResult(tls.RemoteCertificate?.Subject);
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await tls.ReadAsync(buffer);
                    if (read == 0)
                    {
                        return;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var response = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {VersionBody.Length}\r\nConnection: close\r\n\r\n{VersionBody}";
                await tls.WriteAsync(Encoding.UTF8.GetBytes(response));
                await tls.FlushAsync();
            }
            catch (Exception ex) when (ex is IOException or AuthenticationException or SocketException or ObjectDisposedException)
            {
                ClientSubject.TrySetResult(null);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _serve;
        }
    }
}
