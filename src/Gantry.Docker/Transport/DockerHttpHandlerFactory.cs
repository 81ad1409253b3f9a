using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Gantry.Docker.Transport;

/// <summary>Builds the one SocketsHttpHandler a client uses: unix socket through ConnectCallback, or TCP with optional TLS.</summary>
internal static class DockerHttpHandlerFactory
{
    public static SocketsHttpHandler Create(DockerEndpoint endpoint, DockerClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            // Logs, events and stats streams each hold a connection for their whole life, so never cap the pool.
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };

        if (endpoint.SocketPath is { } socketPath)
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        else if (endpoint.Tls)
        {
            handler.SslOptions = CreateSslOptions(options);
        }

        return handler;
    }

    private static SslClientAuthenticationOptions CreateSslOptions(DockerClientOptions options)
    {
        var ssl = new SslClientAuthenticationOptions();
        if (options.ClientCertificate is { } clientCertificate)
        {
            ssl.ClientCertificates = new X509CertificateCollection { clientCertificate };
        }

        if (options.SkipTlsVerify)
        {
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (options.CaCertificate is { } ca)
        {
            // Docker daemons usually present certificates from a private CA; trust exactly that CA.
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = new X509Certificate2(certificate);
                var nameOk = (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
                return nameOk && chain.Build(leaf);
            };
        }

        return ssl;
    }
}
