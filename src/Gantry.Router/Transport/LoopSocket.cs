using System.Net;
using System.Net.Sockets;

namespace Gantry.Router.Transport;

/// <summary>
/// A connected socket of the router's data path on an <see cref="EventLoop"/>: reads and writes are tried at once only while
/// the socket may be ready, and otherwise wait for the loop's next edge, whose completion runs the awaiting code inline on the
/// loop's thread (docs/decisions/0036).
/// </summary>
/// <remarks>
/// Readiness is tracked as nginx tracks it: a read that filled less than its buffer drained the socket (unless the peer's close
/// is already known), so the next read waits for an edge instead of failing with EAGAIN first; a write is tried until the
/// kernel refuses it. Each direction has a sequence number bumped by every edge, so an edge that lands between a failed try and
/// the wait is never lost. One read and one write may be pending at a time (the router's exchanges never overlap two).
/// Disposing fails what is pending with OperationAborted, as a disposed <see cref="Socket"/> does.
/// </remarks>
public sealed partial class LoopSocket : IDisposable
{
    private readonly object _gate = new();
    private readonly Direction _read = new();
    private readonly Direction _write = new();
    private EventLoop _loop;
    private ulong _id;
    private readonly int _fd;
    private bool _closed;
    private bool _detached;

    private LoopSocket(Socket socket, EventLoop loop, bool connecting)
    {
        Socket = socket;
        _loop = loop;
        _read.Op = new Operation(this, _read);
        _write.Op = new Operation(this, _write);
        _write.Ready = !connecting;
        _fd = (int)socket.Handle;
        _id = loop.Register(this, _fd);
    }

    public Socket Socket { get; }

    /// <summary>The loop whose thread completes this socket's waits.</summary>
    public EventLoop Loop => _loop;

    /// <summary>Puts a connected socket (an accepted one) on <paramref name="loop"/>; it must not have been used asynchronously.</summary>
    public static LoopSocket Wrap(Socket socket, EventLoop loop)
    {
        socket.Blocking = false;
        return new LoopSocket(socket, loop, connecting: false);
    }

    /// <summary>Connects <paramref name="socket"/> to <paramref name="endpoint"/> without blocking, on <paramref name="loop"/>.
    /// A name is resolved first and its addresses are tried in turn.</summary>
    public static async ValueTask<LoopSocket> ConnectAsync(Socket socket, EndPoint endpoint, EventLoop loop, CancellationToken ct)
    {
        if (endpoint is DnsEndPoint dns)
        {
            // The first address the socket can reach, only: a socket that failed a connect cannot try another one.
            var addresses = await Dns.GetHostAddressesAsync(dns.Host, dns.AddressFamily, ct).ConfigureAwait(false);
            var address = addresses.FirstOrDefault(a => a.AddressFamily == socket.AddressFamily
                || (socket.DualMode && a.AddressFamily == AddressFamily.InterNetwork))
                ?? throw new SocketException((int)SocketError.HostNotFound);
            return await ConnectAsync(socket, new IPEndPoint(address, dns.Port), loop, ct).ConfigureAwait(false);
        }

        socket.Blocking = false;
        try
        {
            socket.Connect(endpoint);
            return new LoopSocket(socket, loop, connecting: false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
        }

        // Registered only now that the connect is under way: the first write edge is the connect's outcome.
        var connecting = new LoopSocket(socket, loop, connecting: true);
        try
        {
            await connecting.WaitWritableAsync(ct).ConfigureAwait(false);
            var error = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != 0)
            {
                throw new SocketException(error);
            }

            return connecting;
        }
        catch
        {
            connecting.Unregister();
            throw;
        }
    }

    /// <summary>Reads what has arrived into <paramref name="buffer"/> (not empty), waiting for it when nothing has; 0 at the end.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        while (true)
        {
            int seq;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_closed, this);
                if (!_read.Ready)
                {
                    return new ValueTask<int>(Park(_read, buffer, ct), _read.Op.Version);
                }

                seq = _read.Seq;
            }

            var read = Socket.Receive(buffer.Span, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                if (read > 0 && read < buffer.Length)
                {
                    Drained(seq);
                }

                return new ValueTask<int>(read);
            }

            if (error != SocketError.WouldBlock)
            {
                return ValueTask.FromException<int>(new SocketException((int)error));
            }

            lock (_gate)
            {
                if (_read.Seq == seq)
                {
                    _read.Ready = false;
                    return new ValueTask<int>(Park(_read, buffer, ct), _read.Op.Version);
                }
            }
        }
    }

    /// <summary>Writes all of <paramref name="data"/>, waiting whenever the socket's send buffer is full.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        while (true)
        {
            int seq;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_closed, this);
                if (!_write.Ready)
                {
                    return new ValueTask(Park(_write, System.Runtime.InteropServices.MemoryMarshal.AsMemory(data), ct), _write.Op.Version);
                }

                seq = _write.Seq;
            }

            while (!data.IsEmpty)
            {
                var sent = Socket.Send(data.Span, SocketFlags.None, out var error);
                if (error == SocketError.Success)
                {
                    data = data[sent..];
                    continue;
                }

                if (error != SocketError.WouldBlock)
                {
                    return ValueTask.FromException(new SocketException((int)error));
                }

                break;
            }

            if (data.IsEmpty)
            {
                return default;
            }

            lock (_gate)
            {
                if (_write.Seq == seq)
                {
                    _write.Ready = false;
                    return new ValueTask(Park(_write, System.Runtime.InteropServices.MemoryMarshal.AsMemory(data), ct), _write.Op.Version);
                }
            }
        }
    }

    private ValueTask WaitWritableAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            return _write.Ready ? default : new ValueTask(Park(_write, Memory<byte>.Empty, ct), _write.Op.Version);
        }
    }

    /// <summary>
    /// Moves the socket's waits to <paramref name="target"/>: what its edges complete runs on that loop's thread from now on.
    /// For an idle socket only (no read or write pending): a pooled upstream connection that another loop takes, so the
    /// exchange it serves stays on the thread that serves the client instead of crossing between loops for every request.
    /// The socket is added to the target's set before it leaves its own, and adding it reports what is already ready, so no
    /// edge is lost; an edge its old loop had already taken finds no pending operation.
    /// </summary>
    public void MoveTo(EventLoop target)
    {
        lock (_gate)
        {
            if (_read.Pending || _write.Pending)
            {
                throw new InvalidOperationException("a socket with a pending read or write cannot move to another event loop");
            }

            if (_closed || _detached || ReferenceEquals(target, _loop))
            {
                return;
            }

            var id = target.Register(this, _fd);
            _loop.Unregister(_id, _fd);
            (_loop, _id) = (target, id);
        }
    }

    /// <summary>Takes the socket off the loop (blocking again) for code that uses it with the runtime's own calls: a connection
    /// handed to Kestrel, an upgraded tunnel. Disposing this afterwards still closes the socket.</summary>
    public Socket Detach()
    {
        lock (_gate)
        {
            if (_read.Pending || _write.Pending)
            {
                throw new InvalidOperationException("a socket with a pending read or write cannot leave its event loop");
            }

            _detached = true;
        }

        Unregister();
        Socket.Blocking = true;
        return Socket;
    }

    public void Dispose()
    {
        Operation? read = null, write = null;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            if (_read.Pending)
            {
                _read.Pending = false;
                read = _read.Op;
            }

            if (_write.Pending)
            {
                _write.Pending = false;
                write = _write.Op;
            }
        }

        if (!_detached)
        {
            Unregister();
        }

        Socket.Dispose();
        read?.Fail(new SocketException((int)SocketError.OperationAborted), inline: false);
        write?.Fail(new SocketException((int)SocketError.OperationAborted), inline: false);
    }

    private void Unregister() => _loop.Unregister(_id, _fd);

    /// <summary>On the loop's thread: the kernel's readiness edges for this socket.</summary>
    internal void OnEvents(uint events)
    {
        if ((events & (Epoll.In | Epoll.RdHup | Epoll.Hup | Epoll.Err)) != 0)
        {
            Edge(_read, (events & (Epoll.RdHup | Epoll.Hup | Epoll.Err)) != 0, isRead: true);
        }

        if ((events & (Epoll.Out | Epoll.Hup | Epoll.Err)) != 0)
        {
            Edge(_write, end: false, isRead: false);
        }
    }

    private void Edge(Direction direction, bool end, bool isRead)
    {
        Operation op;
        int seq;
        lock (_gate)
        {
            direction.Ready = true;
            direction.End |= end;
            direction.Seq++;
            if (_closed || !direction.Pending)
            {
                return;
            }

            // Claimed: a cancellation from here on finds nothing pending and leaves the operation to this thread.
            direction.Pending = false;
            op = direction.Op;
            seq = direction.Seq;
        }

        if (isRead)
        {
            CompleteRead(op, seq);
        }
        else
        {
            ContinueWrite(op, seq);
        }
    }

    private void CompleteRead(Operation op, int seq)
    {
        while (true)
        {
            int read;
            SocketError error;
            try
            {
                read = Socket.Receive(op.Buffer.Span, SocketFlags.None, out error);
            }
            catch (ObjectDisposedException ex)
            {
                op.Fail(ex, inline: true);
                return;
            }

            if (error == SocketError.WouldBlock)
            {
                if (Repark(_read, op, ref seq))
                {
                    return;
                }

                continue;
            }

            if (error != SocketError.Success)
            {
                op.Fail(new SocketException((int)error), inline: true);
                return;
            }

            if (read > 0 && read < op.Buffer.Length)
            {
                Drained(seq);
            }

            op.Succeed(read);
            return;
        }
    }

    private void ContinueWrite(Operation op, int seq)
    {
        while (op.Done < op.Buffer.Length)
        {
            int sent;
            SocketError error;
            try
            {
                sent = Socket.Send(op.Buffer.Span[op.Done..], SocketFlags.None, out error);
            }
            catch (ObjectDisposedException ex)
            {
                op.Fail(ex, inline: true);
                return;
            }

            if (error == SocketError.Success)
            {
                op.Done += sent;
                continue;
            }

            if (error != SocketError.WouldBlock)
            {
                op.Fail(new SocketException((int)error), inline: true);
                return;
            }

            if (Repark(_write, op, ref seq))
            {
                return;
            }
        }

        op.Succeed(op.Done);
    }

    /// <summary>A claimed operation met EAGAIN: it waits again, unless an edge came meanwhile (then true is not returned and the
    /// caller tries again with the new sequence), or it was cancelled or the socket closed (then it fails here).</summary>
    private bool Repark(Direction direction, Operation op, ref int seq)
    {
        Exception? failure = null;
        lock (_gate)
        {
            if (direction.Seq != seq)
            {
                seq = direction.Seq;
                return false;
            }

            direction.Ready = false;
            if (_closed)
            {
                failure = new SocketException((int)SocketError.OperationAborted);
            }
            else if (op.Token.IsCancellationRequested)
            {
                failure = new OperationCanceledException(op.Token);
            }
            else
            {
                direction.Pending = true;
                return true;
            }
        }

        op.Fail(failure, inline: true);
        return true;
    }

    /// <summary>A read came back short: the socket is empty until its next edge, unless one came meanwhile or the peer closed.</summary>
    private void Drained(int seq)
    {
        lock (_gate)
        {
            if (_read.Seq == seq && !_read.End)
            {
                _read.Ready = false;
            }
        }
    }

    /// <summary>Under the gate: the direction's operation waits for an edge.</summary>
    private Operation Park(Direction direction, Memory<byte> buffer, CancellationToken ct)
    {
        if (direction.Pending)
        {
            throw new InvalidOperationException("another operation of the same direction is already pending on this socket");
        }

        var op = direction.Op;
        op.Start(buffer, ct);
        direction.Pending = true;
        if (ct.CanBeCanceled)
        {
            // A token already cancelled runs the callback here, under the gate (re-entered on this thread).
            op.Registration = ct.UnsafeRegister(static (state, token) => ((Operation)state!).Cancel(token), op);
        }

        return op;
    }
}
