using System.Net;
using System.Net.Sockets;
using Gantry.Server.Alerts;
using Gantry.Server.Routing;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Cluster;

/// <summary>
/// The server's own evidence that a node is gone, ahead of the manager's heartbeat verdict (docs/decisions/0031, addendum):
/// every node's router follows the route table over one long-lived connection to the server. On that connection the feed
/// sends a heartbeat line every <see cref="Heartbeat"/>, and its socket drops once sent data goes unacknowledged for
/// <see cref="DeadPeerTimeout"/> (TCP_USER_TIMEOUT; keepalive probes as well, for a feed that is not writing), so a dead
/// node is noticed within a second of the cut: the kernels acknowledge and time out, and the server and each node's router
/// handle one line every half second. When it drops, the server
/// connects to the node's router port once: a node that answers (accepts, or refuses because its router is restarting) is
/// alive and nothing changes; one that does not answer within <see cref="ConnectTimeout"/> is marked lost in
/// <see cref="UnroutedNodes"/>, so its replicas leave every route table at once. The mark ends when the node answers again
/// (probed every second while it lasts), when its router follows again, or when the manager's own verdict (down,
/// disconnected) or the node's removal takes over.
/// </summary>
/// <remarks>It is the manager's vantage point, the one Swarm decides from too (workers heartbeat to the manager), so it adds
/// no second opinion that could disagree for long; and it only moves traffic, which the routers' own ejections have already
/// moved for the requests that reached the node (docs/decisions/0031). Capacity (the failover surge) still follows Swarm's
/// verdict.</remarks>
public sealed partial class NodeLiveness(NodeWatch watch, UnroutedNodes unrouted, ServerOptions options, TimeProvider time,
    ILogger<NodeLiveness> logger)
{
    /// <summary>How long a connect to a live node may take: nodes share a network, where a connect takes under a millisecond
    /// or is refused at once; a machine that is gone does not answer at all.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(300);

    /// <summary>How long sent data may go unacknowledged before the kernel drops the connection. A live peer's kernel
    /// acknowledges within milliseconds however busy its router is; Linux clamps its retransmission timer to this, so the
    /// drop comes this long after the first unanswered line, not at the next backed-off retransmission.</summary>
    public static readonly TimeSpan DeadPeerTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the route feed writes to a node's router when the table has not changed: the data whose missing
    /// acknowledgement reveals a dead node. Keepalive probes alone come whole seconds apart (Linux counts them in seconds),
    /// which put detection at 1-2 s after the cut and the route tables' change at 1.4-2.4 s; a line every half second with
    /// <see cref="DeadPeerTimeout"/> puts the drop at 0.5-1 s after the cut, and the check's connect
    /// (<see cref="ConnectTimeout"/>) at most 0.3 s later. The price: two lines a second per node, in the server and in that
    /// node's router; a Gantry on one engine has no node routers and keeps the feed's 15 s heartbeat.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);
    private const int IpProtocolTcp = 6;
    private const int TcpUserTimeout = 18;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _checking = new(StringComparer.Ordinal);

    /// <summary>What a connect to a node says about it: it answered (accepted or refused), or it did not.</summary>
    public static bool Answered(SocketError error) => error is SocketError.Success or SocketError.ConnectionRefused or SocketError.ConnectionReset;

    /// <summary>The node a connection comes from, by the address the manager lists for it; null for anything else (the
    /// server's own router on loopback, a router outside the cluster).</summary>
    public static NodeCondition? NodeAt(IReadOnlyList<NodeCondition> nodes, IPAddress? remote)
    {
        if (remote is null)
        {
            return null;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        foreach (var node in nodes)
        {
            if (node.Address is { } address && IPAddress.TryParse(address, out var parsed) && parsed.Equals(remote))
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>Called by the route feed for each router that starts following: a node's router gets the dead-peer timers on
    /// its connection, and a node marked lost that follows again is back. True for a node's router, which the feed then
    /// writes to every <see cref="Heartbeat"/>.</summary>
    public bool Follow(HttpContext context)
    {
        if (NodeAt(watch.Nodes, context.Connection.RemoteIpAddress) is not { } node)
        {
            LogNotANode(logger, context.Connection.RemoteIpAddress?.ToString() ?? "?", string.Join(", ", watch.Nodes.Select(n => n.Name + "=" + n.Address)));
            return false;
        }

        var watched = context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket && SetDeadPeerTimers(socket);
        LogFollows(logger, node.Name, watched);
        unrouted.ClearLost(node.Name);
        return true;
    }

    /// <summary>Called by the route feed when a router's connection ended without the server stopping: checks its node.</summary>
    public void Lost(IPAddress? remote, CancellationToken stopping)
    {
        if (NodeAt(watch.Nodes, remote) is not { Address: { } address } node)
        {
            return;
        }

        lock (_lock)
        {
            if (!_checking.Add(node.Name))
            {
                return;
            }
        }

        _ = CheckAsync(node.Name, IPAddress.Parse(address), stopping);
    }

    private async Task CheckAsync(string name, IPAddress address, CancellationToken stopping)
    {
        var marked = false;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var listed = watch.Nodes.FirstOrDefault(n => n.Name == name);
                if (listed is null || listed.State is "down" or "disconnected")
                {
                    return; // removed, or the manager's verdict has it from here
                }

                var error = await ConnectAsync(address, stopping).ConfigureAwait(false);
                if (Answered(error))
                {
                    if (marked)
                    {
                        LogBack(logger, name);
                    }

                    return;
                }

                if (!marked)
                {
                    marked = true;
                    LogGone(logger, name, address.ToString(), options.NodeRouters.Port, error.ToString());
                    unrouted.MarkLost(name);
                }

                await Task.Delay(Recheck, time, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            if (marked)
            {
                unrouted.ClearLost(name);
            }

            lock (_lock)
            {
                _checking.Remove(name);
            }
        }
    }

    private async Task<SocketError> ConnectAsync(IPAddress address, CancellationToken stopping)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, options.NodeRouters.Port), timeout.Token).ConfigureAwait(false);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return SocketError.TimedOut;
        }
    }

    /// <summary>The connection dropped once data went unacknowledged for <see cref="DeadPeerTimeout"/>, and keepalive probes
    /// after 1 s of silence, one a second: a live peer's kernel answers at once, however busy its router.</summary>
    private static bool SetDeadPeerTimers(Socket socket)
    {
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 1);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 1);
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(IpProtocolTcp, TcpUserTimeout, BitConverter.GetBytes((int)DeadPeerTimeout.TotalMilliseconds));
            }

            return true;
        }
        catch (SocketException)
        {
            // A platform without these options: the feed's heartbeat still notices a dead connection, later.
            return false;
        }
    }

    [LoggerMessage(EventId = 9125, Level = LogLevel.Warning, Message = "cluster: node {Name} is gone: its router's connection dropped and {Address}:{Port} does not answer ({Error}); its replicas leave the routers until it answers or the manager decides")]
    private static partial void LogGone(ILogger logger, string name, string address, int port, string error);

    [LoggerMessage(EventId = 9127, Level = LogLevel.Information, Message = "cluster: node {Name}'s router follows the route table (dead-peer timers: {Watched})")]
    private static partial void LogFollows(ILogger logger, string name, bool watched);

    [LoggerMessage(EventId = 9128, Level = LogLevel.Debug, Message = "cluster: a router at {Address} follows the route table; no node has that address ({Nodes})")]
    private static partial void LogNotANode(ILogger logger, string address, string nodes);

    [LoggerMessage(EventId = 9126, Level = LogLevel.Information, Message = "cluster: node {Name} answers again; its replicas are routed again")]
    private static partial void LogBack(ILogger logger, string name);
}
