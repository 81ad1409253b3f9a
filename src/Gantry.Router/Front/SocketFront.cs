using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Gantry.Router.Observability;
using Gantry.Router.Transport;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Gantry.Router.Front;

/// <summary>
/// A plain-HTTP listener of the router's own (docs/decisions/0035): it accepts the connections, reads request heads straight
/// from the socket into one buffer per connection, serves the plain ones (<see cref="PlainRequest"/>, <see cref="PlainExchange"/>)
/// and writes responses straight to the socket (<see cref="SocketWriter"/>). The first request outside the plain subset, unread,
/// and the rest of its connection go to Kestrel through <see cref="HandoffEndPoint"/>.
/// </summary>
/// <remarks>The same front as <see cref="Http1Front"/> (which stays on TLS listeners, behind Kestrel's TLS), without Kestrel's
/// transport pipes under it: per request no pipe is written, flushed and read on each side, and no send loop is woken. Stopping
/// closes the listening socket and the idle connections at once; a connection inside a request closes after its response.</remarks>
public sealed class SocketFront : IAsyncDisposable
{
    private const int ReadBuffer = 4096;

    private readonly Socket _listener;
    private readonly PlainExchange _exchange;
    private readonly FrontTimeouts _timeouts;
    private readonly RouterMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly HandoffEndPoint _handoff;
    private readonly ConcurrentDictionary<Socket, FrontTimeouts.ConnectionWatch> _open = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _accepting = Task.CompletedTask;
    private volatile bool _stopping;

    private SocketFront(Socket listener, PlainExchange exchange, FrontTimeouts timeouts, RouterMetrics metrics, TimeProvider time, HandoffEndPoint handoff)
    {
        _listener = listener;
        _exchange = exchange;
        _timeouts = timeouts;
        _metrics = metrics;
        _time = time;
        _handoff = handoff;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>The bound port (the one asked for, or the one the system chose for port 0).</summary>
    public int Port { get; }

    /// <summary>Binds and listens as Kestrel's sockets transport does (dual-mode for an IPv6 any-address, a backlog of 512); the
    /// connections queue until <see cref="Start"/>.</summary>
    public static SocketFront Bind(IPEndPoint endpoint, PlainExchange exchange, FrontTimeouts timeouts, RouterMetrics metrics, TimeProvider time, HandoffEndPoint handoff)
    {
        Socket listener;
        try
        {
            listener = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }
        catch (SocketException ex)
        {
            // As Kestrel words it, so that "address already in use" reads the same whichever listener met it.
            throw new IOException($"Failed to bind to address http://{endpoint}: {ex.Message}.", ex);
        }

        try
        {
            listener.Listen(512);
            return new SocketFront(listener, exchange, timeouts, metrics, time, handoff);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Starts accepting. The connections start with an empty execution context, as Kestrel's do: whatever async-locals the
    /// starting flow carries would otherwise be captured by every await of every request and restored around every resumption.</summary>
    public void Start()
    {
        using (ExecutionContext.SuppressFlow())
        {
            _accepting = Task.Run(AcceptAsync);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                if (_stopping)
                {
                    return;
                }

                // Out of descriptors or a connection reset while queued: the next accept goes on (Kestrel's loop does the same),
                // a moment later so that a lasting error does not spin.
                await Task.Delay(TimeSpan.FromMilliseconds(10), _time).ConfigureAwait(false);
                continue;
            }

            socket.NoDelay = true;
            LoopSocket connection;
            try
            {
                connection = LoopSocket.Wrap(socket, EventLoop.Next());
            }
            catch (SocketException)
            {
                socket.Dispose();
                continue;
            }

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(LoopSocket connection)
    {
        var socket = connection.Socket;
        var remote = (socket.RemoteEndPoint as IPEndPoint)?.Address;
        if (remote is { IsIPv4MappedToIPv6: true })
        {
            remote = remote.MapToIPv4();
        }

        var request = new PlainRequest();
        var output = new SocketWriter(connection);
        var watch = _timeouts.Watch(() => Shutdown(socket));
        _open[socket] = watch;
        var buffer = LoopBuffers.Rent(ReadBuffer);
        int start = 0, end = 0;
        var handedOff = false;
        try
        {
            while (!_stopping)
            {
                if (start == end)
                {
                    start = end = 0;
                }
                else if (end == buffer.Length)
                {
                    buffer = MakeRoom(buffer, ref start, ref end);
                }

                var read = await connection.ReceiveAsync(buffer.AsMemory(end)).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                end += read;
                while (start < end)
                {
                    var parse = request.Parse(new ReadOnlySequence<byte>(buffer, start, end - start));
                    if (parse == PlainParse.Incomplete)
                    {
                        watch.ReadingHead();
                        break;
                    }

                    var startTs = _time.GetTimestamp();
                    if (parse != PlainParse.Complete || _exchange.Route(request) is not { } route)
                    {
                        // Not ours: Kestrel reads this request's bytes from the start and keeps the connection.
                        request.Release();
                        _metrics.CountFrontFallback();
                        handedOff = _handoff.Give(connection.Detach(), buffer.AsSpan(start, end - start));
                        return;
                    }

                    start += request.Length;
                    watch.Busy();
                    var kept = await _exchange.ServeAsync(request, route, startTs, remote, output).ConfigureAwait(false) && !request.Close;
                    request.Release();
                    output.Release();
                    if (!kept || _stopping)
                    {
                        return;
                    }

                    watch.Idle();
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away, or the connection was shut down for idling: nothing to answer.
        }
        finally
        {
            request.Release();
            output.Complete();
            LoopBuffers.Return(buffer);
            _timeouts.Forget(watch);
            _open.TryRemove(socket, out _);
            if (!handedOff)
            {
                Shutdown(socket);
                connection.Dispose();
            }

            if (_stopping && _open.IsEmpty)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>The read buffer is full: the unread part moves to the start, or (a head longer than the buffer) the buffer doubles,
    /// up to the longest head the front takes (<see cref="PlainRequest.Parse"/> hands a longer one to Kestrel).</summary>
    private static byte[] MakeRoom(byte[] buffer, ref int start, ref int end)
    {
        var unread = end - start;
        if (start > 0)
        {
            buffer.AsSpan(start, unread).CopyTo(buffer);
        }
        else
        {
            var larger = LoopBuffers.Rent(Math.Max(buffer.Length * 2, PlainRequest.MaxHeadBytes));
            buffer.AsSpan(0, unread).CopyTo(larger);
            LoopBuffers.Return(buffer);
            buffer = larger;
        }

        start = 0;
        end = unread;
        return buffer;
    }

    private static void Shutdown(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Stops accepting, closes idle connections, and waits (up to 10 s) for those inside a request to answer it.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        foreach (var (socket, watch) in _open)
        {
            if (watch.IsIdle)
            {
                Shutdown(socket);
            }
        }

        if (_open.IsEmpty)
        {
            return;
        }

        try
        {
            await _drained.Task.WaitAsync(TimeSpan.FromSeconds(10), _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (var socket in _open.Keys)
            {
                Shutdown(socket);
            }
        }
    }
}
