using System.Security.Cryptography.X509Certificates;

namespace Gantry.Docker;

/// <summary>Where and how <see cref="DockerClient"/> reaches the Docker Engine API.</summary>
public sealed class DockerClientOptions
{
    /// <summary>The default endpoint on Linux.</summary>
    public static readonly Uri DefaultEndpoint = new("unix:///var/run/docker.sock");

    /// <summary>The highest Engine API version this client speaks; the negotiated version is min(server, this).</summary>
    public const string MaxApiVersion = "1.45";

    /// <summary><c>unix:///path/to/docker.sock</c>, <c>tcp://host:port</c> or <c>https://host:port</c>.</summary>
    public Uri Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>Pins the API version (for example "1.41") and skips negotiation; null negotiates through <c>/version</c>.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Deadline for ordinary (non-streaming) calls; streaming calls (logs, events, build, wait) run until cancelled.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Deadline for opening the socket.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Use TLS on a TCP endpoint (also implied by an <c>https://</c> endpoint).</summary>
    public bool UseTls { get; init; }

    /// <summary>Client certificate (with private key) for daemons that require mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>CA that signed the daemon's certificate; null trusts the system store.</summary>
    public X509Certificate2? CaCertificate { get; init; }

    /// <summary>Accept any server certificate (DOCKER_TLS_VERIFY unset with TLS on); never for production.</summary>
    public bool SkipTlsVerify { get; init; }
}
