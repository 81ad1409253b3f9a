using System.IO.Pipelines;
using System.Net.Sockets;
using Gantry.Router.Transport;

namespace Gantry.Router.Front;

/// <summary>The socket front's output (<see cref="SocketFront"/>): what the exchange writes collects in one pooled buffer and
/// leaves with a flush, straight from the flushing thread to the socket; no transport pipe and no send loop between.</summary>
/// <remarks>The exchange writes a head and at most one body chunk (16 KiB) between flushes, so the buffer stays small. A send
/// that fails completes the writer: every later flush answers <see cref="FlushResult.IsCompleted"/>, as a transport pipe
/// whose connection went away does.</remarks>
internal sealed class SocketWriter(LoopSocket socket) : PipeWriter
{
    private const int MinimumBuffer = 4096;

    private byte[]? _buffer;
    private int _written;
    private bool _completed;

    public override void Advance(int bytes) => _written += bytes;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer is null)
        {
            _buffer = LoopBuffers.Rent(Math.Max(sizeHint, MinimumBuffer));
            return;
        }

        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        var larger = LoopBuffers.Rent(Math.Max(_buffer.Length * 2, _written + sizeHint));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        LoopBuffers.Return(_buffer);
        _buffer = larger;
    }

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            return new FlushResult(isCanceled: false, isCompleted: true);
        }

        try
        {
            await socket.SendAsync(_buffer.AsMemory(0, _written), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _completed = true;
            return new FlushResult(isCanceled: false, isCompleted: true);
        }
        finally
        {
            _written = 0;
        }

        return default;
    }

    /// <summary>Gives the buffer back between requests: an idle kept-alive connection holds only its read buffer.</summary>
    public void Release()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _written = 0;
            LoopBuffers.Return(buffer);
        }
    }

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
        _completed = true;
        Release();
    }
}
