using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Gantry.Router.Clusters;
using Gantry.Router.Transport;

namespace Gantry.Router.Upstream;

/// <summary>The router's own HTTP/1.1 client side: kept-alive connections per destination address, opened on demand, reused
/// newest-first, and closed before a backend would close them.</summary>
/// <remarks>
/// Why not SocketsHttpHandler: per request it costs an HttpRequestMessage, an HttpResponseMessage, two header stores, a Uri and
/// their validation, which on two cores made the router 0.57-0.73x nginx (issue 10). Here a request is one head written into a
/// pooled buffer and one send; a response head is parsed in place, and its field strings are reused from the previous response
/// on the same connection when the bytes match. HTTP/2 to upstreams is not needed: destinations are plain http:// replicas.
/// <para>Idle connections are closed after <see cref="IdleTimeout"/> (50 s), below the 60-75 s of busybox httpd, nginx and most
/// app servers, so the router closes first. A connection idle for more than a second is also polled before reuse, so one the
/// backend closed early (Node's 5 s) is noticed and not written to; the forwarder retries the rare request that still meets a
/// close on a reused connection once on a fresh one.</para>
/// </remarks>
public sealed class UpstreamPool : IAsyncDisposable
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(50);

    /// <summary>Long-lived connections are recycled so address changes and backend rebalancing are eventually seen.</summary>
    public static readonly TimeSpan ConnectionLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Replicas are on the router's own machine or network (a bridge, a Swarm overlay), where a connect takes well under a
    /// millisecond or is refused at once. A connect that hangs means the address is gone (a dead node's overlay address drops
    /// the SYN): after 1 s the request goes to another destination, which is safe because nothing reached this one
    /// (docs/decisions/0031). 1 s is also when Linux would first resend a lost SYN.
    /// </summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long data the router sent may stay unacknowledged, and how long a waiting connection may go without an answer to
    /// the kernel's keepalive probes, before the connection is dropped as dead (TCP_USER_TIMEOUT, Linux). A peer that is
    /// alive acknowledges at once, however slow the app behind it; one whose machine died never does, and without this a
    /// request written on a kept connection to it would wait for the request timeout (100 s) instead of failing over.
    /// </summary>
    public static readonly TimeSpan DeadPeerTimeout = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CheckIdleAfter = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, UpstreamEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _connectTimeout;
    private readonly long _idleTicks;
    private readonly long _lifetimeTicks;
    private readonly long _checkTicks;
    private readonly ITimer _sweep;
    private volatile bool _disposed;

    public UpstreamPool(TimeProvider time, TimeSpan? connectTimeout = null)
    {
        _time = time;
        _connectTimeout = connectTimeout ?? DefaultConnectTimeout;
        _idleTicks = Ticks(IdleTimeout);
        _lifetimeTicks = Ticks(ConnectionLifetime);
        _checkTicks = Ticks(CheckIdleAfter);
        _sweep = time.CreateTimer(static s => ((UpstreamPool)s!).Sweep(), this, SweepInterval, SweepInterval);
    }

    /// <summary>The endpoint of a destination's address, cached on the destination (one lookup per address, not per request).</summary>
    public UpstreamEndpoint EndpointOf(DestinationState destination)
    {
        var endpoint = destination.Upstream;
        if (endpoint is null || endpoint.Retired)
        {
            endpoint = _endpoints.GetOrAdd(destination.BaseAddress, static address => new UpstreamEndpoint(address));
            destination.Upstream = endpoint;
        }

        return endpoint;
    }

    /// <summary>An idle connection that still looks open, or a new one. Throws <see cref="UpstreamConnectException"/> when no
    /// connection can be made, or OperationCanceledException when <paramref name="ct"/> fires.</summary>
    public ValueTask<UpstreamConnection> RentAsync(UpstreamEndpoint endpoint, CancellationToken ct)
    {
        var now = _time.GetTimestamp();
        endpoint.LastUsedTs = now;
        while (endpoint.TryPop(out var connection))
        {
            if (Expired(connection, now) || (now - connection.IdleSinceTs > _checkTicks && !connection.LooksAlive()))
            {
                Close(connection);
                continue;
            }

            connection.Begin();
            return ValueTask.FromResult(connection);
        }

        return ConnectAsync(endpoint, ct);
    }

    private async ValueTask<UpstreamConnection> ConnectAsync(UpstreamEndpoint endpoint, CancellationToken ct)
    {
        var start = _time.GetTimestamp();
        var socket = endpoint.EndPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        DetectDeadPeer(socket);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_connectTimeout);
        LoopSocket connected;
        try
        {
            // On the loop serving the request's client when there is one: both sockets' waits then end on one thread.
            connected = await LoopSocket.ConnectAsync(socket, endpoint.EndPoint, EventLoop.Current, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            DropIdle(endpoint);
            throw new UpstreamConnectException($"connecting to {endpoint.Authority} timed out after {_connectTimeout.TotalSeconds:0.###} s");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            DropIdle(endpoint);
            throw new UpstreamConnectException($"connecting to {endpoint.Authority}: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var now = _time.GetTimestamp();
        var connection = new UpstreamConnection(endpoint, connected, now - start, now);
        endpoint.Opened();
        connection.Begin();
        return connection;
    }

    /// <summary>Ends an exchange: the connection goes back to its endpoint when it may carry another request, else it is closed.</summary>
    public void Return(UpstreamConnection connection)
    {
        var reusable = connection.Reusable;
        connection.End();
        var now = _time.GetTimestamp();
        if (!reusable || _disposed || connection.Endpoint.Retired || now - connection.CreatedTs > _lifetimeTicks)
        {
            Close(connection);
            return;
        }

        connection.IdleSinceTs = now;
        connection.Endpoint.Push(connection);
    }

    public static void Close(UpstreamConnection connection)
    {
        connection.Dispose();
        connection.Endpoint.Closed();
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        var removed = new List<UpstreamConnection>();
        foreach (var (address, endpoint) in _endpoints)
        {
            var before = removed.Count;
            endpoint.Sweep(c => Expired(c, now) || !c.LooksAlive(), removed);
            if (endpoint.Open - (removed.Count - before) <= 0 && now - endpoint.LastUsedTs > _idleTicks)
            {
                // Nothing open and unused for a while (a replica that went away): forget the address. A request that still
                // holds the endpoint closes its connection on return instead of pooling it (Retired).
                endpoint.Retired = true;
                _endpoints.TryRemove(new KeyValuePair<string, UpstreamEndpoint>(address, endpoint));
            }
        }

        foreach (var connection in removed)
        {
            Close(connection);
        }
    }

    /// <summary>Sends GET <paramref name="path"/> on a pooled connection and returns the status (the body is read and dropped), for
    /// active health checks: a probe also tests, and keeps warm, the connections requests will use.</summary>
    public async ValueTask<int> ProbeAsync(UpstreamEndpoint endpoint, string path, CancellationToken ct)
    {
        const int MaxDrained = 1 << 20;
        var connection = await RentAsync(endpoint, ct).ConfigureAwait(false);
        connection.Used = true;
        var head = new RequestHeadBuffer(256);
        var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
        var completed = false;
        try
        {
            head.Write("GET "u8);
            head.Write(path);
            head.Write(" HTTP/1.1\r\nHost: "u8);
            head.Write(endpoint.AuthorityBytes);
            head.Write("\r\nUser-Agent: gantry-router-health\r\n\r\n"u8);
            await connection.SendAsync(head.Written, ct).ConfigureAwait(false);
            do
            {
                await connection.ReadHeadAsync(ct).ConfigureAwait(false);
            }
            while (connection.Head.Status < 200);

            var status = connection.Head.Status;
            connection.BeginBody(Http1ResponseParser.HasBody(status, requestWasHead: false));
            var drained = 0;
            int read;
            while (drained <= MaxDrained && (read = await connection.ReadBodyAsync(scratch, ct).ConfigureAwait(false)) > 0)
            {
                drained += read;
            }

            completed = connection.BodyComplete;
            return status;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
            head.Dispose();
            if (!completed)
            {
                connection.Abort();
            }

            Return(connection);
        }
    }

    /// <summary>
    /// Keepalive probes on a connection that waits (after 1 s of silence, every second) and <see cref="DeadPeerTimeout"/> as the
    /// most that sent data or probes may stay unanswered: a kept connection to a machine that died fails within seconds, and the
    /// forwarder's rules for a failed kept connection then apply (a fresh connection, then another destination).
    /// </summary>
    private static void DetectDeadPeer(Socket socket)
    {
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 1);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 1);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(IpProtocolTcp, TcpUserTimeout, BitConverter.GetBytes((int)DeadPeerTimeout.TotalMilliseconds));
            }
        }
        catch (SocketException)
        {
            // A platform without these options keeps the kernel's defaults: failover is slower, routing is unchanged.
        }
    }

    /// <summary>
    /// A connect to this address just failed: its idle connections are suspect too (the machine behind it may be gone), so they
    /// are closed rather than handed to the next requests, which would only find out after <see cref="DeadPeerTimeout"/>.
    /// Connections carrying a request are left alone: a refused or slow connect can also mean a full accept queue.
    /// </summary>
    private static void DropIdle(UpstreamEndpoint endpoint)
    {
        var removed = new List<UpstreamConnection>();
        endpoint.Sweep(static _ => true, removed);
        foreach (var connection in removed)
        {
            Close(connection);
        }
    }

    private const int IpProtocolTcp = 6;
    private const int TcpUserTimeout = 18;

    /// <summary>Idle past the idle timeout, or open past the lifetime.</summary>
    private bool Expired(UpstreamConnection connection, long now) =>
        now - connection.IdleSinceTs > _idleTicks || now - connection.CreatedTs > _lifetimeTicks;

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _sweep.DisposeAsync().ConfigureAwait(false);
        var removed = new List<UpstreamConnection>();
        foreach (var endpoint in _endpoints.Values)
        {
            endpoint.Sweep(static _ => true, removed);
        }

        foreach (var connection in removed)
        {
            Close(connection);
        }
    }
}
