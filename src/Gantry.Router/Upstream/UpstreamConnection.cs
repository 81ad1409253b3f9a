using System.Net.Sockets;
using Gantry.Router.Transport;

namespace Gantry.Router.Upstream;

/// <summary>One kept-alive HTTP/1.1 connection to a destination: the socket, a read buffer while an exchange runs, and the framing
/// state of the response body being read.</summary>
/// <remarks>Reads go through the socket directly: a response head is parsed from the read buffer, and a body is handed out by
/// <see cref="ReadBodyAsync"/> first from what the head's read already brought, then straight from the socket into the
/// caller's memory (Kestrel's pipe), so a body byte is copied once. The read buffer is rented only while the connection is out
/// of the pool: an idle connection holds no buffer, and a response that leaves unread bytes behind makes the connection
/// unusable rather than poisoning the next exchange.</remarks>
public sealed partial class UpstreamConnection : IDisposable
{
    /// <summary>The largest response head accepted (nginx's default large_client_header_buffers is 4 × 8 KiB).</summary>
    public const int MaxHeadBytes = 64 * 1024;

    private const int InitialBuffer = 8 * 1024;

    private readonly LoopSocket _socket;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private BodyFraming _framing;
    private long _remaining;
    private ChunkState _chunk;
    private bool _disposed;

    internal UpstreamConnection(UpstreamEndpoint endpoint, LoopSocket socket, long connectTicks, long now)
    {
        Endpoint = endpoint;
        _socket = socket;
        ConnectTicks = connectTicks;
        CreatedTs = now;
        IdleSinceTs = now;
    }

    public UpstreamEndpoint Endpoint { get; }

    /// <summary>How long the TCP connect took, in TimeProvider ticks.</summary>
    public long ConnectTicks { get; }

    /// <summary>False until the first exchange (request or probe) wrote on it: that exchange is the one that paid for the connect.</summary>
    public bool Used { get; internal set; }

    internal long CreatedTs { get; }

    internal long IdleSinceTs { get; set; }

    public ResponseHead Head { get; } = new();

    /// <summary>Some response byte arrived in the current exchange (a failure before it, on a reused connection, may be retried).</summary>
    public bool ReceivedAny { get; private set; }

    /// <summary>The current response's body has been read to its end.</summary>
    public bool BodyComplete { get; private set; }

    /// <summary>Whether the connection can go back to the pool: the response said keep-alive, its body was read to the end by its
    /// framing (not by a close), and nothing unread follows it.</summary>
    public bool Reusable => !_disposed && BodyComplete && _framing != BodyFraming.UntilClose && Head.KeepAlive && _start == _end;

    /// <summary>The event loop this connection's reads complete on.</summary>
    internal EventLoop Loop => _socket.Loop;

    /// <summary>Moves the idle connection's socket to <paramref name="loop"/> (see <see cref="LoopSocket.MoveTo"/>).</summary>
    internal void MoveTo(EventLoop loop) => _socket.MoveTo(loop);

    /// <summary>The socket, off its event loop, for an upgraded tunnel's streams; the connection is never pooled again.</summary>
    internal Socket DetachSocket() => _socket.Detach();

    /// <summary>Starts an exchange: rents the read buffer.</summary>
    internal void Begin()
    {
        _buffer ??= LoopBuffers.Rent(InitialBuffer);
        _start = _end = 0;
        ReceivedAny = false;
        BodyComplete = false;
        _framing = BodyFraming.None;
    }

    /// <summary>Ends an exchange: the buffer goes back to the pool (a reusable connection has nothing buffered).</summary>
    internal void End()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            LoopBuffers.Return(buffer);
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _socket.SendAsync(data, ct).ConfigureAwait(false);
    }

    /// <summary>Reads the next response head into <see cref="Head"/>; throws <see cref="UpstreamProtocolException"/> when it is
    /// malformed or the connection closes first (check <see cref="ReceivedAny"/> to tell a close before any byte).</summary>
    public async ValueTask ReadHeadAsync(CancellationToken ct)
    {
        while (!TryTakeHead())
        {
            HeadReceived(await ReceiveHeadAsync(ct).ConfigureAwait(false));
        }
    }

    /// <summary>Parses the next response head from what the read buffer holds: true when <see cref="Head"/> is filled (its bytes
    /// consumed), false when more bytes are needed (<see cref="ReceiveHeadAsync"/>, then <see cref="HeadReceived"/>). Throws
    /// <see cref="UpstreamProtocolException"/> when the head is malformed or larger than <see cref="MaxHeadBytes"/>.</summary>
    /// <remarks>With the receive, the pieces of <see cref="ReadHeadAsync"/>, for a hot path that awaits the socket itself: the
    /// front's exchange waits for every response once, and an async frame of ours around that wait would be one more state
    /// machine allocated and resumed per request.</remarks>
    public bool TryTakeHead()
    {
        var result = Http1ResponseParser.TryParse(_buffer.AsSpan(_start, _end - _start), Head, out var consumed, out var error);
        if (result == HeadParseResult.Complete)
        {
            _start += consumed;
            return true;
        }

        if (result == HeadParseResult.Malformed)
        {
            throw new UpstreamProtocolException(error!);
        }

        if (_end - _start >= MaxHeadBytes)
        {
            throw new UpstreamProtocolException($"response head larger than {MaxHeadBytes / 1024} KiB");
        }

        return false;
    }

    /// <summary>Reads more of a response head into the buffer: the socket's own operation, handed to the caller to await; pass
    /// what it returns to <see cref="HeadReceived"/>.</summary>
    public ValueTask<int> ReceiveHeadAsync(CancellationToken ct)
    {
        MakeRoom();
        return _socket.ReceiveAsync(_buffer.AsMemory(_end), ct);
    }

    /// <summary>Takes in what <see cref="ReceiveHeadAsync"/> read; a close (0 bytes) before the head's end is a protocol error.</summary>
    public void HeadReceived(int read)
    {
        if (read == 0)
        {
            throw new UpstreamProtocolException(ReceivedAny ? "the upstream closed the connection in the middle of the response head" : "the upstream closed the connection before responding");
        }

        ReceivedAny = true;
        _end += read;
    }

    /// <summary>Reads more bytes into the buffer after what is there, compacting or growing it first when full.</summary>
    private async ValueTask<int> ReceiveIntoBufferAsync(CancellationToken ct)
    {
        MakeRoom();
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
        if (read > 0)
        {
            ReceivedAny = true;
            _end += read;
        }

        return read;
    }

    /// <summary>Compacts the buffer, or grows it (up to the head limit), when no room is left after what it holds.</summary>
    private void MakeRoom()
    {
        var buffer = _buffer!;
        if (_end < buffer.Length)
        {
            return;
        }

        var used = _end - _start;
        if (_start > 0)
        {
            buffer.AsSpan(_start, used).CopyTo(buffer);
        }
        else
        {
            var larger = LoopBuffers.Rent(Math.Min(buffer.Length * 2, MaxHeadBytes + InitialBuffer));
            buffer.AsSpan(0, used).CopyTo(larger);
            LoopBuffers.Return(buffer);
            _buffer = larger;
        }

        _start = 0;
        _end = used;
    }

    /// <summary>Bytes the head's read brought beyond the head (the start of an upgraded connection's stream), handed over once.</summary>
    internal ReadOnlyMemory<byte> TakeRemainder()
    {
        var remainder = _buffer.AsMemory(_start, _end - _start).ToArray();
        _start = _end;
        return remainder;
    }

    /// <summary>Whether an idle connection is still open and quiet: the peer has not closed it (or sent something unasked).</summary>
    private bool _slowReaderAllowed;

    /// <summary>
    /// Before a request body goes out on this connection: an app may stop reading a body for longer than
    /// <see cref="UpstreamPool.DeadPeerTimeout"/> (a zero window, answered by a live kernel), so the limit on unacknowledged data
    /// is lifted for good on this connection. Keepalive still notices a machine that died while it waits.
    /// </summary>
    internal void AllowSlowReader()
    {
        if (_slowReaderAllowed || !OperatingSystem.IsLinux())
        {
            return;
        }

        _slowReaderAllowed = true;
        try
        {
            _socket.Socket.SetRawSocketOption(6, 18, BitConverter.GetBytes(0));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    internal bool LooksAlive()
    {
        try
        {
            return !_socket.Socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Closes the socket at once, failing any send or receive in flight (the read buffer stays until <see cref="Dispose"/>).</summary>
    public void Abort()
    {
        _disposed = true;
        try
        {
            _socket.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
        End();
    }
}
