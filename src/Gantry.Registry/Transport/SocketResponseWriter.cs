using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Gantry.Registry.Transport;

/// <summary>
/// The output of one plain-TCP connection: Kestrel's HTTP/1.1 layer writes here and each flush goes straight to the
/// socket, so a file segment queued between two writes leaves with sendfile(2) in exactly that place in the stream.
/// </summary>
/// <remarks>
/// Why not keep Kestrel's transport pipe and call sendfile beside it: a flush into that pipe completes before the
/// transport's send loop has handed the bytes to the kernel, so a response head flushed there could reach the wire
/// after a body sent directly. Owning every send on the connection makes the order a fact instead of a race.
/// Kestrel still frames the response and counts its body: during a file segment the bytes Kestrel "writes" go to a
/// discard buffer (never read, never sent) and the same count is sent from the file at the next flush.
/// Failures follow the transport pipe's contract: a flush whose send fails aborts the connection and answers
/// <c>IsCompleted</c> (Kestrel treats a throwing flush as a bug); only cancellation throws.
/// </remarks>
internal sealed class SocketResponseWriter : PipeWriter
{
    private const int SegmentSize = 16 * 1024;

    /// <summary>Send a file in pieces below SendPacketsElement's int count; large enough that the split never matters.</summary>
    private const int MaxFileElement = 1 << 30;

    // Target of the bytes Kestrel counts during a file segment. Shared by every connection: nothing ever reads it.
    private static readonly byte[] DiscardBuffer = GC.AllocateUninitializedArray<byte>(256 * 1024);

    private readonly Socket _socket;
    private readonly ConnectionContext _connection;
    private readonly List<Pending> _pending = [];
    private byte[]? _current;
    private int _currentLength;
    private long _fileBytesToCount;
    private bool _flushing;
    private bool _completed;
    private bool _failed;
    private SocketAsyncEventArgs? _packets;
    private TaskCompletionSource<SocketError>? _packetsDone;

    /// <summary>File segments sent completely with sendfile since the process started; lets tests see which path ran.</summary>
    internal static long FileSegmentsSent => Interlocked.Read(ref _fileSegmentsSent);

    private static long _fileSegmentsSent;

    public SocketResponseWriter(Socket socket, ConnectionContext connection)
    {
        _socket = socket;
        _connection = connection;
    }

    /// <summary>True once the peer is gone or the writer completed; a file queued now would never be sent.</summary>
    public bool IsClosed => _completed || _failed;

    /// <summary>
    /// Queues <paramref name="length"/> bytes of <paramref name="file"/> (which this writer now owns) after everything
    /// written so far. The caller must then advance exactly that many bytes through Kestrel's body writer and flush.
    /// </summary>
    public void AppendFile(FileStream file, long offset, long length)
    {
        if (_fileBytesToCount != 0)
        {
            file.Dispose();
            throw new InvalidOperationException("a file segment is already waiting for Kestrel to count its bytes");
        }

        CommitCurrent();
        _pending.Add(new Pending(null, 0, file, offset, length));
        _fileBytesToCount = length;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_fileBytesToCount > 0)
        {
            return sizeHint <= DiscardBuffer.Length ? DiscardBuffer : new byte[sizeHint];
        }

        int need = Math.Max(sizeHint, 1);
        if (_current is null || _current.Length - _currentLength < need)
        {
            CommitCurrent();
            _current = ArrayPool<byte>.Shared.Rent(Math.Max(need, SegmentSize));
        }

        return _current.AsMemory(_currentLength);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (_fileBytesToCount > 0)
        {
            if (bytes > _fileBytesToCount)
            {
                throw new InvalidOperationException($"{bytes} bytes advanced but the file segment has only {_fileBytesToCount} left to count");
            }

            _fileBytesToCount -= bytes;
            return;
        }

        _currentLength += bytes;
    }

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes
    {
        get
        {
            long total = _currentLength;
            foreach (Pending p in _pending)
            {
                total += p.File is null ? p.Length : p.FileLength;
            }

            return total;
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (IsClosed)
        {
            ReleasePending();
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
        }

        if (_fileBytesToCount > 0)
        {
            // Kestrel flushing in the middle of a file segment would send the file before all its bytes were counted.
            throw new InvalidOperationException($"flush with {_fileBytesToCount} bytes of the file segment not yet counted");
        }

        CommitCurrent();
        if (_pending.Count == 0)
        {
            return new ValueTask<FlushResult>(default(FlushResult));
        }

        return SendPendingAsync(cancellationToken);
    }

    private async ValueTask<FlushResult> SendPendingAsync(CancellationToken ct)
    {
        _flushing = true;
        try
        {
            bool hasFile = false;
            foreach (Pending p in _pending)
            {
                hasFile |= p.File is not null;
            }

            if (!hasFile && _pending.Count == 1)
            {
                await SendAllAsync(_pending[0].Buffer.AsMemory(0, _pending[0].Length), ct).ConfigureAwait(false);
            }
            else if (!hasFile)
            {
                var list = new List<ArraySegment<byte>>(_pending.Count);
                foreach (Pending p in _pending)
                {
                    list.Add(new ArraySegment<byte>(p.Buffer!, 0, p.Length));
                }

                // The list overload takes no token: a cancelled send ends the connection, which fails the operation.
                await using (ct.Register(AbortOnCancel, this).ConfigureAwait(false))
                {
                    await _socket.SendAsync(list, SocketFlags.None).ConfigureAwait(false);
                }

                ct.ThrowIfCancellationRequested();
            }
            else
            {
                await SendPacketsAsync(ct).ConfigureAwait(false);
            }

            return default;
        }
        catch (OperationCanceledException)
        {
            // Part of a response may be on the wire: the connection cannot carry another one.
            _failed = true;
            _connection.Abort(new ConnectionAbortedException("the response send was cancelled"));
            throw;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            _failed = true;
            _connection.Abort(new ConnectionAbortedException("the peer is gone: " + ex.Message, ex));
            return new FlushResult(isCanceled: false, isCompleted: true);
        }
        finally
        {
            _flushing = false;
            ReleasePending();
        }
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct)
    {
        while (!buffer.IsEmpty)
        {
            int sent = await _socket.SendAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
            buffer = buffer[sent..];
        }
    }

    /// <summary>One SendPacketsAsync for heads and files: on Linux a file element is sent with sendfile(2) at its offset.</summary>
    private async ValueTask SendPacketsAsync(CancellationToken ct)
    {
        var elements = new List<SendPacketsElement>(_pending.Count + 1);
        foreach (Pending p in _pending)
        {
            if (p.File is null)
            {
                elements.Add(new SendPacketsElement(p.Buffer.AsMemory(0, p.Length)));
                continue;
            }

            for (long done = 0; done < p.FileLength; done += MaxFileElement)
            {
                elements.Add(new SendPacketsElement(p.File, p.Offset + done, (int)Math.Min(MaxFileElement, p.FileLength - done)));
            }
        }

        if (_packets is null)
        {
            _packets = new SocketAsyncEventArgs();
            _packets.Completed += static (_, e) => ((SocketResponseWriter)e.UserToken!)._packetsDone!.TrySetResult(e.SocketError);
            _packets.UserToken = this;
        }

        _packets.SendPacketsElements = [.. elements];
        _packetsDone = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
        // SendPacketsAsync takes no token: a cancelled send ends the connection, which fails the operation.
        await using (ct.Register(AbortOnCancel, this).ConfigureAwait(false))
        {
            SocketError result = _socket.SendPacketsAsync(_packets) ? await _packetsDone.Task.ConfigureAwait(false) : _packets.SocketError;
            _packets.SendPacketsElements = null;
            ct.ThrowIfCancellationRequested();
            if (result != SocketError.Success)
            {
                throw new SocketException((int)result);
            }

            Interlocked.Increment(ref _fileSegmentsSent);
        }
    }

    private static void AbortOnCancel(object? state) =>
        ((SocketResponseWriter)state!)._connection.Abort(new ConnectionAbortedException("the response send was cancelled"));

    public override void CancelPendingFlush()
    {
        // A send cannot be taken back half-way; the only way to stop one is to end the connection.
        if (_flushing)
        {
            _connection.Abort(new ConnectionAbortedException("a pending flush was cancelled"));
        }
    }

    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        CommitCurrent();
        if (exception is null && !_failed && _pending.Count > 0 && !_flushing)
        {
            // Bytes written but never flushed: the transport pipe would still send them on completion.
            try
            {
                foreach (Pending p in _pending)
                {
                    if (p.File is null)
                    {
                        _socket.Send(p.Buffer.AsSpan(0, p.Length), SocketFlags.None);
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                _failed = true;
            }
        }

        _completed = true;
        if (!_flushing)
        {
            ReleasePending();
            _packets?.Dispose();
        }
    }

    private void CommitCurrent()
    {
        if (_current is null)
        {
            return;
        }

        if (_currentLength == 0)
        {
            ArrayPool<byte>.Shared.Return(_current);
        }
        else
        {
            _pending.Add(new Pending(_current, _currentLength, null, 0, 0));
        }

        _current = null;
        _currentLength = 0;
    }

    private void ReleasePending()
    {
        foreach (Pending p in _pending)
        {
            if (p.Buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(p.Buffer);
            }

            p.File?.Dispose();
        }

        _pending.Clear();
        _fileBytesToCount = 0;
    }

    /// <summary>Either written bytes (Buffer, Length) or a file part (File, Offset, FileLength), in stream order.</summary>
    private readonly record struct Pending(byte[]? Buffer, int Length, FileStream? File, long Offset, long FileLength);
}
