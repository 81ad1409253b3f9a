using System.Net;
using Gantry.Router.Control;
using Gantry.Router.Forwarder;
using Gantry.Router.Front;
using Gantry.Router.Health;
using Gantry.Router.Observability;
using Gantry.Router.Routing;
using Gantry.Router.Sources;
using Gantry.Router.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Router.Hosting;

/// <summary>Starts the router (Kestrel entrypoints, admin port, route sources, health checks, access log) in this process.</summary>
public static partial class RouterHost
{
    /// <summary>Runs the router until <paramref name="ct"/> is cancelled, then drains and stops.</summary>
    public static async Task RunAsync(RouterOptions options, CancellationToken ct)
    {
        var router = await StartAsync(options, ct).ConfigureAwait(false);
        await using (router.ConfigureAwait(false))
        {
            try
            {
                await router.WaitForShutdownAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Normal shutdown.
            }
        }
    }

    /// <summary>Starts the router and returns once every endpoint is bound (ports 0 are resolved in the result).</summary>
    public static async Task<RunningRouter> StartAsync(RouterOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.StatusKeepalive <= TimeSpan.Zero)
        {
            throw new ArgumentException($"StatusKeepalive \"{options.StatusKeepalive}\" must be positive, such as 00:00:10", nameof(options));
        }

        if (options.StatusCheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"StatusCheckInterval \"{options.StatusCheckInterval}\" must be positive, such as 00:00:01", nameof(options));
        }

        if (options.UpstreamConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"UpstreamConnectTimeout \"{options.UpstreamConnectTimeout}\" must be positive, such as 00:00:05", nameof(options));
        }

        var time = options.TimeProvider;
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("Gantry.Router");
        var metrics = new RouterMetrics();
        var routing = new RoutingState(metrics, time);
        var recent = new RecentRequests(options.RecentRequestCapacity);

        RouteTableStore? store = null;
        if (!string.IsNullOrEmpty(options.StateDirectory))
        {
            store = new RouteTableStore(options.StateDirectory);
            try
            {
                if (store.Load() is { } saved)
                {
                    routing.Apply(saved);
                    LogLoadedSaved(logger, store.FilePath, saved.Version);
                }
            }
            catch (RouteTableException ex)
            {
                // A damaged state file must not keep the router down: the feed or --routes will provide a table.
                LogSavedRejected(logger, ex.Message);
            }
        }

        if (!string.IsNullOrEmpty(options.RoutesFile))
        {
            routing.Apply(RouteFileSource.Load(options.RoutesFile));
        }

        if (store is not null)
        {
            routing.Swapped += snapshot =>
            {
                try
                {
                    store.Save(snapshot.Table);
                }
                catch (IOException ex)
                {
                    LogSaveFailed(logger, store.FilePath, ex.Message);
                }
            };
            if (routing.Current.Version != 0 || routing.Current.Table.Routes.Count != 0)
            {
                store.Save(routing.Current.Table);
            }
        }

        var upstream = new UpstreamPool(time, options.UpstreamConnectTimeout);
        var forwarder = new HttpForwarder(upstream, time);
        var accessLog = AccessLogWriter.Open(options.AccessLog, metrics, options.AccessLogMaxBytes, options.AccessLogKeep);
        var health = new ActiveHealthChecker(routing, upstream, time, loggerFactory.CreateLogger("Gantry.Router.Health"));
        var certificates = options.ExternalHttps is not null
            ? CertificateStore.Load(options.CertificatesDirectory ?? throw new ArgumentException("ExternalHttps needs CertificatesDirectory (the folder of name.crt + name.key files)", nameof(options)))
            : null;

        var ports = new PortMap();
        var wake = new WakeGate(routing, time);
        var ledger = new RequestLedger(recent, accessLog, time);
        var proxy = new ProxyRequestHandler(routing, forwarder, metrics, ledger, time, options.RedirectToHttps, () => ports.ExternalHttps, wake);
        // Every HTTP/1.1 listener but the admin port reads its connections through the front first (docs/decisions/0028, 0035).
        var frontTimeouts = new FrontTimeouts(time, options.KeepAliveTimeout);
        PlainExchange Exchange(bool isInternal, bool isHttps) =>
            new(routing, upstream, ledger, time, isInternal, isHttps, options.RedirectToHttps, () => ports.ExternalHttps);
        // Behind Kestrel's TLS the front is a connection middleware (docs/decisions/0028).
        Http1Front? HttpsFront() => options.PlainFront ? new Http1Front(Exchange(isInternal: false, isHttps: true), frontTimeouts, metrics, time) : null;
        // The plain-HTTP listeners are the router's own sockets (docs/decisions/0035); what they hand over, Kestrel serves on a
        // handoff endpoint of each.
        var scheduler = options.PreferInlineScheduling ? System.IO.Pipelines.PipeScheduler.Inline : System.IO.Pipelines.PipeScheduler.ThreadPool;
        var sockets = new List<(SocketFront Front, HandoffEndPoint Handoff, HttpProtocols Protocols)>();
        async ValueTask DisposeSocketsAsync()
        {
            foreach (var (socket, _, _) in sockets)
            {
                await socket.DisposeAsync().ConfigureAwait(false);
            }
        }

        SocketFront? Socket(IPEndPoint? endpoint, bool isInternal, HttpProtocols protocols, string name)
        {
            if (!options.PlainFront || endpoint is null)
            {
                return null;
            }

            var handoff = new HandoffEndPoint(name, scheduler);
            var socket = SocketFront.Bind(endpoint, Exchange(isInternal, isHttps: false), frontTimeouts, metrics, time, handoff);
            sockets.Add((socket, handoff, protocols));
            return socket;
        }

        try
        {
            if (Socket(options.ExternalHttp, isInternal: false, HttpProtocols.Http1, "external") is { } external)
            {
                ports.ExternalHttp = external.Port;
            }

            if (Socket(options.Internal, isInternal: true, HttpProtocols.Http1AndHttp2, "internal") is { } internalSocket)
            {
                ports.Internal = internalSocket.Port;
            }
        }
        catch
        {
            await DisposeSocketsAsync().ConfigureAwait(false);
            await upstream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var routerId = string.IsNullOrWhiteSpace(options.RouterId) ? NewRouterId() : options.RouterId;
        var admin = new AdminRequestHandler(routing, metrics, recent, time, routerId);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Gantry.Router" });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddSingleton<IHostLifetime, NullHostLifetime>();
        builder.WebHost.UseKestrelCore();
        if (options.PreferInlineScheduling)
        {
            builder.WebHost.UseSockets(sockets =>
            {
                sockets.UnsafePreferInlineScheduling = true;
                sockets.WaitForDataBeforeAllocatingBuffer = false;
            });
        }

        if (sockets.Count > 0)
        {
            // Tried before the sockets transport (Kestrel asks the last registered first); it binds only handoff endpoints.
            builder.Services.AddSingleton<IConnectionListenerFactory, HandoffListenerFactory>();
        }

        if (certificates is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        var listeners = new List<(ListenOptions Listen, Action<int> Bound)>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Field values cross the router byte for byte: Latin-1 maps every byte to one char and back (the default would
            // refuse a backend's non-ASCII header value, such as a UTF-8 file name in Content-Disposition).
            kestrel.RequestHeaderEncodingSelector = static _ => System.Text.Encoding.Latin1;
            kestrel.ResponseHeaderEncodingSelector = static _ => System.Text.Encoding.Latin1;
            // Bodies are streamed, never buffered, so the router imposes no size limit; backends enforce their own.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.KeepAliveTimeout = options.KeepAliveTimeout;
            foreach (var (_, handoff, protocols) in sockets)
            {
                kestrel.Listen(handoff, listen => listen.Protocols = protocols);
            }

            if (!options.PlainFront)
            {
                Listen(kestrel, listeners, options.ExternalHttp, HttpProtocols.Http1, null, p => ports.ExternalHttp = p);
            }

            if (options.ExternalHttps is { } https)
            {
                Listen(kestrel, listeners, https, HttpProtocols.Http1AndHttp2, certificates, p => ports.ExternalHttps = p, HttpsFront());
            }

            if (options.ExternalH2c is { } h2c)
            {
                Listen(kestrel, listeners, h2c, HttpProtocols.Http2, null, p => ports.ExternalH2c = p);
            }

            if (options.Internal is { } @internal && !options.PlainFront)
            {
                Listen(kestrel, listeners, @internal, HttpProtocols.Http1AndHttp2, null, p => ports.Internal = p);
            }

            if (options.Admin is { } adminEndpoint)
            {
                Listen(kestrel, listeners, adminEndpoint, HttpProtocols.Http1, null, p => ports.Admin = p);
            }
        });

        var app = builder.Build();
        // Dispatch by the local port the connection arrived on: one int comparison, no routing middleware.
        app.Run(context =>
        {
            var port = context.Connection.LocalPort;
            if (port == ports.Admin)
            {
                return admin.HandleAsync(context);
            }

            return proxy.HandleAsync(context, isInternal: port == ports.Internal);
        });

        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            // Typically "address already in use": release what was created so an embedding process can retry cleanly.
            await app.DisposeAsync().ConfigureAwait(false);
            await health.DisposeAsync().ConfigureAwait(false);
            if (accessLog is not null)
            {
                await accessLog.DisposeAsync().ConfigureAwait(false);
            }

            await upstream.DisposeAsync().ConfigureAwait(false);
            await DisposeSocketsAsync().ConfigureAwait(false);
            throw;
        }

        foreach (var (socket, _, _) in sockets)
        {
            socket.Start();
        }

        foreach (var (listen, bound) in listeners)
        {
            bound(((IPEndPoint)listen.EndPoint).Port);
        }

        health.Start();
        var owned = new List<IAsyncDisposable>();
        RouteFeedClient? feed = null;
        RouterStatusReporter? status = null;
        if (options.ServerUrl is not null)
        {
            // One link to the server for the feed and both reporters; disposed after them (owned in that order).
            var link = new ServerLink(options.ServerUrl, options.ServerToken);
            wake.Ask = new WakeClient(link, time, loggerFactory.CreateLogger("Gantry.Router.Wake")).Ask;
            feed = new RouteFeedClient(link, routing, metrics, time, loggerFactory.CreateLogger("Gantry.Router.Feed"), options.FeedInitialBackoff);
            var reporter = new ServerReporter(link, recent, routing, time, loggerFactory.CreateLogger("Gantry.Router.Reporter"));
            status = new RouterStatusReporter(link, routerId, routing, time, loggerFactory.CreateLogger("Gantry.Router.Status"),
                options.StatusKeepalive, options.StatusCheckInterval, certificates: certificates?.Expiries());
            // A feed that dropped or came back may mean a restarted server that no longer knows this router.
            feed.ConnectionChanged += status.Resend;
            feed.Start();
            reporter.Start();
            status.Start();
            owned.AddRange([feed, reporter, status, link]);
        }

        owned.Add(health);
        owned.Add(upstream);
        if (accessLog is not null)
        {
            owned.Add(accessLog);
        }

        LogStarted(logger, ports.ExternalHttp, ports.Internal, ports.Admin, routing.Current.Version);
        return new RunningRouter(routerId, app, [.. sockets.Select(s => s.Front)], routing, metrics, recent, health, feed, status, time, [.. owned])
        {
            ExternalHttpPort = ports.ExternalHttp,
            ExternalHttpsPort = ports.ExternalHttps,
            ExternalH2cPort = ports.ExternalH2c,
            InternalPort = ports.Internal,
            AdminPort = ports.Admin,
        };
    }

    /// <summary>Host name, process id and a short random part: unique across hosts, processes and routers started in one process.</summary>
    private static string NewRouterId() =>
        $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{System.Security.Cryptography.RandomNumberGenerator.GetHexString(6, lowercase: true)}";

    private static void Listen(KestrelServerOptions kestrel, List<(ListenOptions, Action<int>)> listeners, IPEndPoint endpoint,
        HttpProtocols protocols, CertificateStore? certificates, Action<int> bound, Http1Front? front = null)
    {
        // Known ports are mapped before start so the dispatcher is right from the first connection.
        if (endpoint.Port != 0)
        {
            bound(endpoint.Port);
        }

        kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = protocols;
            if (certificates is not null)
            {
                listen.UseHttps(https => https.ServerCertificateSelector = (_, name) => certificates.Select(name));
            }

            if (front is not null)
            {
                // After TLS: the front reads decrypted bytes; an HTTP/2 preface (ALPN h2, or h2c prior knowledge) is not in its
                // subset, so Kestrel's HTTP/2 gets the connection whole.
                listen.Use(next => connection => front.RunAsync(connection, next));
            }

            listeners.Add((listen, bound));
        });
    }

    /// <summary>Bound ports, written once at start and read by the dispatcher.</summary>
    private sealed class PortMap
    {
        public int ExternalHttp { get; set; } = -1;

        public int? ExternalHttps { get; set; }

        public int? ExternalH2c { get; set; }

        public int Internal { get; set; } = -1;

        public int Admin { get; set; } = -1;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Router listening: external :{External}, internal :{Internal}, admin :{Admin}; route table version {Version}")]
    private static partial void LogStarted(ILogger logger, int external, int @internal, int admin, long version);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Loaded saved route table {Path} (version {Version})")]
    private static partial void LogLoadedSaved(ILogger logger, string path, long version);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Ignoring the saved route table: {Reason}")]
    private static partial void LogSavedRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Could not save the route table to {Path}: {Reason}; routing continues")]
    private static partial void LogSaveFailed(ILogger logger, string path, string reason);
}
