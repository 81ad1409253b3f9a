using System.Buffers.Text;
using System.Net.Sockets;

namespace Gantry.Router.Upstream;

/// <summary>Reading a response body by its framing: Content-Length, chunked (de-chunked here, trailers read and dropped), or
/// until the connection closes.</summary>
public sealed partial class UpstreamConnection
{
    private const int MaxChunkLine = 4 * 1024;

    /// <summary>Sets up reading the body the head announced. <paramref name="hasBody"/> false (HEAD, 1xx, 204, 304): no body.</summary>
    public void BeginBody(bool hasBody)
    {
        _chunk = ChunkState.Size;
        if (!hasBody)
        {
            _framing = BodyFraming.None;
            _remaining = 0;
            BodyComplete = true;
        }
        else if (Head.Chunked)
        {
            _framing = BodyFraming.Chunked;
            _remaining = 0;
        }
        else if (Head.OtherTransferEncoding || Head.ContentLength < 0)
        {
            _framing = BodyFraming.UntilClose;
        }
        else
        {
            _framing = BodyFraming.Length;
            _remaining = Head.ContentLength;
            BodyComplete = _remaining == 0;
        }
    }

    /// <summary>The body's framing told by the head: a length the client can be given, or -1 (chunked or until close).</summary>
    public long KnownLength => _framing switch
    {
        BodyFraming.None => 0,
        BodyFraming.Length => Head.ContentLength,
        _ => -1,
    };

    /// <summary>Reads body bytes into <paramref name="destination"/>; 0 means the body ended (then <see cref="BodyComplete"/>).</summary>
    public ValueTask<int> ReadBodyAsync(Memory<byte> destination, CancellationToken ct)
    {
        if (BodyComplete)
        {
            return ValueTask.FromResult(0);
        }

        switch (_framing)
        {
            case BodyFraming.Length:
                {
                    var limit = (int)Math.Min(destination.Length, _remaining);
                    var buffered = _end - _start;
                    if (buffered > 0)
                    {
                        return ValueTask.FromResult(TakeLength(destination.Span, limit));
                    }

                    return ReceiveLengthAsync(destination[..limit], ct);
                }

            case BodyFraming.UntilClose:
                if (_end > _start)
                {
                    return ValueTask.FromResult(TakeBuffered(destination.Span, destination.Length));
                }

                return ReceiveUntilCloseAsync(destination, ct);
            default:
                return ReadChunkedAsync(destination, ct);
        }
    }

    private int TakeLength(Span<byte> destination, int limit)
    {
        var taken = TakeBuffered(destination, limit);
        _remaining -= taken;
        BodyComplete = _remaining == 0;
        return taken;
    }

    private int TakeBuffered(Span<byte> destination, int limit)
    {
        var count = Math.Min(limit, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }

    private async ValueTask<int> ReceiveLengthAsync(Memory<byte> destination, CancellationToken ct)
    {
        var read = await _socket.ReceiveAsync(destination, ct).ConfigureAwait(false);
        if (read == 0)
        {
            throw new UpstreamProtocolException($"the upstream closed the connection with {_remaining} bytes of the body still to come");
        }

        _remaining -= read;
        BodyComplete = _remaining == 0;
        return read;
    }

    private async ValueTask<int> ReceiveUntilCloseAsync(Memory<byte> destination, CancellationToken ct)
    {
        var read = await _socket.ReceiveAsync(destination, ct).ConfigureAwait(false);
        if (read == 0)
        {
            BodyComplete = true;
        }

        return read;
    }

    private async ValueTask<int> ReadChunkedAsync(Memory<byte> destination, CancellationToken ct)
    {
        while (true)
        {
            switch (_chunk)
            {
                case ChunkState.Size:
                    {
                        var line = await ReadLineAsync(ct).ConfigureAwait(false);
                        var size = ParseChunkSize(_buffer.AsSpan(line.Start, line.Length));
                        _start = line.Next;
                        if (size == 0)
                        {
                            _chunk = ChunkState.Trailers;
                        }
                        else
                        {
                            _remaining = size;
                            _chunk = ChunkState.Data;
                        }

                        break;
                    }

                case ChunkState.Data:
                    {
                        var limit = (int)Math.Min(destination.Length, _remaining);
                        int read;
                        if (_end > _start)
                        {
                            read = TakeBuffered(destination.Span, limit);
                        }
                        else
                        {
                            read = await _socket.ReceiveAsync(destination[..limit], ct).ConfigureAwait(false);
                            if (read == 0)
                            {
                                throw new UpstreamProtocolException("the upstream closed the connection in the middle of a chunk");
                            }
                        }

                        _remaining -= read;
                        if (_remaining == 0)
                        {
                            _chunk = ChunkState.DataEnd;
                        }

                        return read;
                    }

                case ChunkState.DataEnd:
                    {
                        var line = await ReadLineAsync(ct).ConfigureAwait(false);
                        if (line.Length != 0)
                        {
                            throw new UpstreamProtocolException("malformed chunked body: no line end after a chunk's data");
                        }

                        _start = line.Next;
                        _chunk = ChunkState.Size;
                        break;
                    }

                default:
                    {
                        // Trailer fields are read and dropped (HTTP/1.1 clients cannot be relied on to ask for them).
                        var line = await ReadLineAsync(ct).ConfigureAwait(false);
                        _start = line.Next;
                        if (line.Length == 0)
                        {
                            BodyComplete = true;
                            return 0;
                        }

                        break;
                    }
            }
        }
    }

    /// <summary>A line in the buffer: [Start, Start + Length) without its CRLF or LF; Next is the first byte after it.</summary>
    private readonly record struct Line(int Start, int Length, int Next);

    private async ValueTask<Line> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = newline > 0 && available[newline - 1] == (byte)'\r' ? newline - 1 : newline;
                return new Line(_start, length, _start + newline + 1);
            }

            if (available.Length >= MaxChunkLine)
            {
                throw new UpstreamProtocolException("malformed chunked body: a chunk-size or trailer line longer than 4 KiB");
            }

            if (await ReceiveIntoBufferAsync(ct).ConfigureAwait(false) == 0)
            {
                throw new UpstreamProtocolException("the upstream closed the connection in the middle of a chunked body");
            }
        }
    }

    private static long ParseChunkSize(ReadOnlySpan<byte> line)
    {
        // chunk-size [ ; ext ]: hex digits, then optional whitespace and extensions (ignored).
        var end = line.IndexOfAny(";\t "u8);
        var digits = end < 0 ? line : line[..end];
        if (digits.IsEmpty || digits.Length > 15 || !Utf8Parser.TryParse(digits, out long size, out var used, 'X') || used != digits.Length)
        {
            throw new UpstreamProtocolException("malformed chunked body: bad chunk size");
        }

        return size;
    }

    private enum BodyFraming
    {
        None,
        Length,
        Chunked,
        UntilClose,
    }

    private enum ChunkState
    {
        Size,
        Data,
        DataEnd,
        Trailers,
    }
}
