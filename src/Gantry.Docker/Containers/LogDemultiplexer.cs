using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Containers;

/// <summary>
/// Turns a logs/attach body into lines. Without a TTY the daemon multiplexes stdout and stderr in frames
/// with an 8-byte header (stream id, three zero bytes, big-endian payload length); with a TTY the body is raw.
/// Frames need not end at line ends, so each stream keeps its own partial line.
/// </summary>
public static class LogDemultiplexer
{
    private const int HeaderSize = 8;
    private const int RawChunkSize = 16 * 1024;

    /// <summary>Reads lines until the stream ends; a truncated final frame ends the enumeration quietly.</summary>
    public static async IAsyncEnumerable<LogEntry> ReadAsync(Stream stream, bool multiplexed, bool timestamps,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var assemblers = new LineAssembler[4];
        var lines = new List<(LogStream Stream, string Text)>();
        var header = new byte[HeaderSize];
        var buffer = ArrayPool<byte>.Shared.Rent(RawChunkSize);
        try
        {
            while (true)
            {
                LogStream source;
                int length;
                if (multiplexed)
                {
                    var read = await stream.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken)
                        .ConfigureAwait(false);
                    if (read < HeaderSize)
                    {
                        break;
                    }

                    source = (LogStream)Math.Min((int)header[0], 3);
                    var size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                    if (size > int.MaxValue / 2)
                    {
                        throw new DockerTransportException($"Log frame header announces {size} bytes; the stream is not multiplexed or is corrupt.");
                    }

                    length = (int)size;
                    if (buffer.Length < length)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(length);
                    }

                    if (length > 0 && await stream.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false,
                            cancellationToken).ConfigureAwait(false) < length)
                    {
                        break;
                    }
                }
                else
                {
                    source = LogStream.Stdout;
                    length = await stream.ReadAsync(buffer.AsMemory(0, RawChunkSize), cancellationToken).ConfigureAwait(false);
                    if (length == 0)
                    {
                        break;
                    }
                }

                var assembler = assemblers[(int)source] ??= new LineAssembler();
                ReadOnlySpan<byte> payload = buffer.AsSpan(0, length);
                if (multiplexed && timestamps && assembler.HasPending)
                {
                    // dockerd splits lines over 16 KiB into partial messages, one frame each, and stamps every
                    // frame; the line keeps the first stamp and the continuation's stamp is dropped.
                    payload = SkipTimestamp(payload);
                }

                assembler.Feed(payload, source, lines);
                foreach (var (lineStream, text) in lines)
                {
                    yield return ToEntry(lineStream, text, timestamps);
                }

                lines.Clear();
            }

            for (var i = 0; i < assemblers.Length; i++)
            {
                if (assemblers[i]?.Flush() is { } rest)
                {
                    yield return ToEntry((LogStream)i, rest, timestamps);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Splits <c>2024-05-01T10:00:00.123456789Z text</c> into its time and text when timestamps were requested.</summary>
    public static LogEntry ToEntry(LogStream stream, string line, bool timestamps)
    {
        if (timestamps)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var stamp = space < 0 ? line.AsSpan() : line.AsSpan(0, space);
            if (DockerTime.TryParseRfc3339(stamp, out var time))
            {
                return new LogEntry(stream, time, space < 0 ? string.Empty : line[(space + 1)..]);
            }
        }

        return new LogEntry(stream, null, line);
    }

    private static ReadOnlySpan<byte> SkipTimestamp(ReadOnlySpan<byte> payload)
    {
        // RFC 3339 with nanoseconds and an offset is at most 35 characters.
        var space = payload[..Math.Min(payload.Length, 40)].IndexOf((byte)' ');
        if (space < 20)
        {
            return payload;
        }

        Span<char> stamp = stackalloc char[space];
        for (var i = 0; i < space; i++)
        {
            stamp[i] = (char)payload[i];
        }

        return DockerTime.TryParseRfc3339(stamp, out _) ? payload[(space + 1)..] : payload;
    }

    /// <summary>Accumulates bytes of one stream and cuts them at '\n' (dropping a trailing '\r', which TTYs add).</summary>
    private sealed class LineAssembler
    {
        private byte[] _pending = new byte[256];
        private int _count;

        public bool HasPending => _count > 0;

        public void Feed(ReadOnlySpan<byte> data, LogStream stream, List<(LogStream, string)> lines)
        {
            while (!data.IsEmpty)
            {
                var newline = data.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    Append(data);
                    return;
                }

                string text;
                if (_count == 0)
                {
                    text = Decode(data[..newline]);
                }
                else
                {
                    Append(data[..newline]);
                    text = Decode(_pending.AsSpan(0, _count));
                    _count = 0;
                }

                lines.Add((stream, text));
                data = data[(newline + 1)..];
            }
        }

        public string? Flush()
        {
            if (_count == 0)
            {
                return null;
            }

            var text = Decode(_pending.AsSpan(0, _count));
            _count = 0;
            return text;
        }

        private void Append(ReadOnlySpan<byte> data)
        {
            if (_count + data.Length > _pending.Length)
            {
                Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _count + data.Length));
            }

            data.CopyTo(_pending.AsSpan(_count));
            _count += data.Length;
        }

        private static string Decode(ReadOnlySpan<byte> line)
        {
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            return Encoding.UTF8.GetString(line);
        }
    }
}
