using System.Net;
using Microsoft.Extensions.Logging;

namespace Gantry.Router.Hosting;

/// <summary>How a router process listens, where it gets routes, and where it keeps state and logs.</summary>
/// <remarks>Any endpoint may use port 0 (tests): the bound ports are reported by <see cref="RunningRouter"/>.</remarks>
public sealed record RouterOptions
{
    /// <summary>Public plain-HTTP entrypoint (HTTP/1.1).</summary>
    public IPEndPoint ExternalHttp { get; init; } = new(IPAddress.Any, 80);

    /// <summary>Public HTTPS entrypoint (HTTP/1.1 and HTTP/2 via ALPN); needs <see cref="CertificatesDirectory"/>.</summary>
    public IPEndPoint? ExternalHttps { get; init; }

    /// <summary>Optional cleartext HTTP/2 (prior knowledge, "h2c") endpoint on the external entrypoint.</summary>
    public IPEndPoint? ExternalH2c { get; init; }

    /// <summary>Folder of certificates chosen by SNI host name: name.crt + name.key (PEM) or name.pfx (no password).</summary>
    public string? CertificatesDirectory { get; init; }

    /// <summary>Answer every external plain-HTTP request with 308 to https (per route: <see cref="Config.RouteSpec.RedirectToHttps"/>).</summary>
    public bool RedirectToHttps { get; init; }

    /// <summary>Entrypoint for service-to-service traffic; internal routes answer only here. Null disables it.</summary>
    public IPEndPoint? Internal { get; init; } = new(IPAddress.Loopback, 8081);

    /// <summary>Admin endpoint: /metrics (Prometheus), /healthz, /routes, /requests?slowest=N. Null disables it.</summary>
    public IPEndPoint? Admin { get; init; } = new(IPAddress.Loopback, 9090);

    /// <summary>Base URL of the Gantry server whose route feed to follow; null for a static router.</summary>
    public Uri? ServerUrl { get; init; }

    /// <summary>Bearer token for the route feed.</summary>
    public string? ServerToken { get; init; }

    /// <summary>How often, when nothing changes, the router posts its status (table version in force, unready destinations,
    /// in-flight requests per destination) to `{ServerUrl}/api/v1/router/status` (±10 %); a change the server acts on is posted
    /// at once (a swap, a health change) or at the next <see cref="StatusCheckInterval"/>. The server's RouterFleet.Silence
    /// must stay well above it.</summary>
    public TimeSpan StatusKeepalive { get; init; } = Observability.RouterStatusReporter.DefaultKeepalive;

    /// <summary>How often the router samples its status locally to find changes that raise no event (a drained destination's
    /// last request ending, a passive ejection expiring); it posts only when the meaning changed.</summary>
    public TimeSpan StatusCheckInterval { get; init; } = Observability.RouterStatusReporter.DefaultCheckInterval;

    /// <summary>The router's id in status reports; null generates "host-pid-random" once per started router.</summary>
    public string? RouterId { get; init; }

    /// <summary>Time allowed to open a connection to a destination; past it the request is retried on another destination.</summary>
    public TimeSpan UpstreamConnectTimeout { get; init; } = Upstream.UpstreamPool.DefaultConnectTimeout;

    /// <summary>A static route table file, loaded at start (errors stop the start with every problem listed).</summary>
    public string? RoutesFile { get; init; }

    /// <summary>Where the last accepted table is saved (routes.json) and loaded from at boot; null keeps nothing.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>"stdout", a file path (JSON lines, appended, rotated by size), or null for no access log.</summary>
    public string? AccessLog { get; init; }

    /// <summary>Size at which a file access log is rotated (ACCESS.1 ... ACCESS.N); checked when a batch is flushed.</summary>
    public long AccessLogMaxBytes { get; init; } = 100L << 20;

    /// <summary>Rotated access logs kept beside the current one.</summary>
    public int AccessLogKeep { get; init; } = 5;

    /// <summary>How many recent request records /requests can search.</summary>
    public int RecentRequestCapacity { get; init; } = 4096;

    /// <summary>First delay before reconnecting to the feed (doubles up to 30 s).</summary>
    public TimeSpan FeedInitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Run request handling inline on socket completion threads (Kestrel's UnsafePreferInlineScheduling): fewer thread
    /// hops, measured +30-60% throughput on the 2-core bench machine; safe because the router's request path never blocks
    /// (disk writes, table saves and probes all run elsewhere). Pair it with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
    /// in the process environment for the upstream side.</summary>
    public bool PreferInlineScheduling { get; init; } = true;

    /// <summary>Plain requests on the external HTTP listener are served by the front without Kestrel's HTTP layer
    /// (<see cref="Front.Http1Front"/>, docs/decisions/0028); off, every request takes Kestrel's path (for comparison).</summary>
    public bool PlainFront { get; init; } = true;

    /// <summary>How long a client connection may sit idle between requests (Kestrel's and the front's); 75 s, above the
    /// common 60 s of load balancers in front of the router, so they close first.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(75);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logger factory for the router's own logs; null logs nothing (the access log is separate).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
