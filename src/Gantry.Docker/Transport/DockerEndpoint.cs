namespace Gantry.Docker.Transport;

/// <summary>A parsed Docker endpoint: a unix socket path, or a TCP host and port with or without TLS.</summary>
public sealed record DockerEndpoint(string? SocketPath, string? Host, int Port, bool Tls)
{
    /// <summary>True for <c>unix://</c> endpoints.</summary>
    public bool IsUnixSocket => SocketPath is not null;

    /// <summary>The base address HttpClient requests go to; for unix sockets the host name is a placeholder.</summary>
    public Uri BaseAddress => IsUnixSocket
        ? new Uri("http://docker.sock")
        : new Uri($"{(Tls ? "https" : "http")}://{Host}:{Port}");

    /// <summary>Parses <c>unix:///path</c>, <c>tcp://host:port</c>, <c>http://</c> or <c>https://</c> endpoints (DOCKER_HOST syntax).</summary>
    public static DockerEndpoint Parse(Uri endpoint, bool useTls)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        switch (endpoint.Scheme)
        {
            case "unix":
                var path = Uri.UnescapeDataString(endpoint.AbsolutePath);
                if (string.IsNullOrEmpty(path) || path == "/")
                {
                    throw new ArgumentException(
                        $"Docker endpoint '{endpoint}' has no socket path; write it as unix:///var/run/docker.sock.", nameof(endpoint));
                }

                return new DockerEndpoint(path, null, 0, false);
            case "tcp":
            case "http":
            case "https":
                var tls = useTls || endpoint.Scheme == "https";
                var port = endpoint.IsDefaultPort || endpoint.Port <= 0 ? (tls ? 2376 : 2375) : endpoint.Port;
                return new DockerEndpoint(null, endpoint.Host, port, tls);
            default:
                throw new ArgumentException(
                    $"Docker endpoint '{endpoint}' has scheme '{endpoint.Scheme}'; use unix:///path/to/docker.sock or tcp://host:port.",
                    nameof(endpoint));
        }
    }

    /// <inheritdoc />
    public override string ToString() => IsUnixSocket ? $"unix://{SocketPath}" : $"{(Tls ? "https" : "tcp")}://{Host}:{Port}";
}
