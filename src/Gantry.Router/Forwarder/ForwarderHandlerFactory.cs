using System.Net;
using System.Net.Sockets;

namespace Gantry.Router.Forwarder;

/// <summary>Builds the one SocketsHttpHandler pool that carries all upstream traffic and the active health probes.</summary>
public static class ForwarderHandlerFactory
{
    /// <summary>
    /// Idle pooled connections are closed after 50 s. Backends close idle keep-alive connections on their own timer
    /// (nginx keepalive_timeout 75 s, busybox httpd and many app servers 60 s, Node 5 s). If our timer were longer, we could
    /// pick a connection the backend is closing at that instant and the request would fail with a reset the client did
    /// not cause. Staying below the common 60 s leaves the race only with backends that close very early (Node); for those
    /// SocketsHttpHandler transparently retries a request that failed on a reused connection before any response byte.
    /// </summary>
    public static readonly TimeSpan PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50);

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public static SocketsHttpHandler Create(TimeProvider time, TimeSpan? connectTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            // The router sets traceparent itself; the built-in propagator would overwrite it with an Activity of its own.
            ActivityHeadersPropagator = null,
            PooledConnectionIdleTimeout = PooledConnectionIdleTimeout,
            // Recycle long-lived connections so DNS/IP changes and backend rebalancing are eventually seen.
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = connectTimeout ?? ConnectTimeout,
            MaxConnectionsPerServer = int.MaxValue,
            EnableMultipleHttp2Connections = true,
            ConnectCallback = async (context, ct) =>
            {
                var start = time.GetTimestamp();
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, ct).ConfigureAwait(false);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                return new ForwarderStream(socket, time.GetTimestamp() - start, time);
            },
        };
    }
}
