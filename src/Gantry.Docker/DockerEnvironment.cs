using System.Security.Cryptography.X509Certificates;

namespace Gantry.Docker;

/// <summary>Reads the docker CLI's environment variables into <see cref="DockerClientOptions"/>.</summary>
public static class DockerEnvironment
{
    /// <summary>DOCKER_HOST, DOCKER_TLS_VERIFY (any non-empty value verifies) and DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem).</summary>
    public static DockerClientOptions ReadOptions(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var host = getVariable("DOCKER_HOST");
        var endpoint = string.IsNullOrWhiteSpace(host) ? DockerClientOptions.DefaultEndpoint : ParseHost(host);
        var verify = !string.IsNullOrEmpty(getVariable("DOCKER_TLS_VERIFY"));
        var certPath = getVariable("DOCKER_CERT_PATH");
        if (!verify && string.IsNullOrEmpty(certPath))
        {
            return new DockerClientOptions { Endpoint = endpoint };
        }

        X509Certificate2? client = null;
        X509Certificate2? ca = null;
        if (!string.IsNullOrEmpty(certPath))
        {
            var cert = Path.Combine(certPath, "cert.pem");
            var key = Path.Combine(certPath, "key.pem");
            if (File.Exists(cert) && File.Exists(key))
            {
                client = X509Certificate2.CreateFromPemFile(cert, key);
            }

            var caFile = Path.Combine(certPath, "ca.pem");
            if (File.Exists(caFile))
            {
                ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
            }
        }

        return new DockerClientOptions
        {
            Endpoint = endpoint,
            UseTls = endpoint.Scheme != "unix",
            ClientCertificate = client,
            CaCertificate = ca,
            SkipTlsVerify = !verify,
        };
    }

    private static Uri ParseHost(string host)
    {
        if (!Uri.TryCreate(host.Trim(), UriKind.Absolute, out var uri))
        {
            throw new ArgumentException(
                $"DOCKER_HOST='{host}' is not a valid endpoint; use unix:///var/run/docker.sock or tcp://host:2375.", nameof(host));
        }

        return uri;
    }
}
