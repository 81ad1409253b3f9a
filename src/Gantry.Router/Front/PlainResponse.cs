using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Net.Sockets;
using Gantry.Router.Forwarder;
using Gantry.Router.Observability;
using Gantry.Router.Upstream;
using Microsoft.AspNetCore.WebUtilities;

namespace Gantry.Router.Front;

/// <summary>What the front writes to the client's pipe: the response head re-framed by the router, the body copied from the
/// upstream connection in bounded chunks, and the router's own body-less answers (502, 503, 504).</summary>
internal static class PlainResponse
{
    private const int ResponseChunk = 16 * 1024;

    // A chunk's size line is written before its data is read: four hex digits (ResponseChunk is 0x4000) and CRLF.
    private const int ChunkPrefix = 6;

    private static readonly byte[]?[] StatusLines = new byte[600][];

    /// <summary>The client's response head: the status line, the upstream's fields minus hop-by-hop ones, the router's framing.</summary>
    internal static void WriteHead(PipeWriter output, ResponseHead upstream, string requestId, long length, bool chunked,
        bool dropContentLength, bool close)
    {
        var head = new RequestHeadBuffer(1024);
        try
        {
            head.Write(StatusLine(upstream.Status));
            var dropLength = dropContentLength || upstream.Chunked || upstream.OtherTransferEncoding;
            for (var i = 0; i < upstream.Count; i++)
            {
                var kind = upstream.Kinds[i];
                var name = upstream.Names[i];
                if ((kind & ResponseFieldKind.HopByHop) != 0 || (dropLength && kind == ResponseFieldKind.ContentLength)
                    || (upstream.ConnectionTokens is not null && HeaderRules.SkipResponseHeader(name, isUpgrade: false, upstream.ConnectionTokens)))
                {
                    continue;
                }

                head.WriteField(name, upstream.Values[i]);
            }

            if (length >= 0)
            {
                head.Write("Content-Length: "u8);
                head.WriteFormatted(length);
                head.Write("\r\n"u8);
            }
            else if (chunked)
            {
                head.Write("Transfer-Encoding: chunked\r\n"u8);
            }

            FinishHead(ref head, requestId, close);
            output.Write(head.Written.Span);
        }
        finally
        {
            head.Dispose();
        }
    }

    private static void FinishHead(ref RequestHeadBuffer head, string requestId, bool close)
    {
        head.Write("X-Request-Id: "u8);
        head.Write(requestId);
        head.Write(close ? "\r\nConnection: close\r\n\r\n"u8 : "\r\n\r\n"u8);
    }

    /// <summary>The body as the upstream frames it, re-framed for the client (its length, or chunks); flushed per read once it is
    /// larger than one read, so memory stays bounded by a chunk however large the body.</summary>
    internal static async ValueTask<ForwarderError> CopyBodyAsync(PipeWriter output, RequestRecord record, UpstreamConnection connection,
        bool hasBody, bool chunked)
    {
        var length = connection.KnownLength;
        var copied = 0L;
        while (hasBody && !connection.BodyComplete)
        {
            // A body of known length asks the pipe for what is left of it, not a whole chunk: a small body then shares the
            // head's pipe block and leaves in one send (one TLS record), instead of a second, oversized block of its own.
            var want = length >= 0 ? (int)Math.Min(ResponseChunk, length - copied) : ResponseChunk;
            var memory = output.GetMemory(chunked ? want + ChunkPrefix + 2 : want);
            int read;
            try
            {
                read = await connection.ReadBodyAsync(chunked ? memory.Slice(ChunkPrefix, want) : memory[..want], CancellationToken.None)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                record.Error = ex.Message;
                return ForwarderError.ResponseBodyUpstream;
            }

            if (read == 0)
            {
                break;
            }

            if (chunked)
            {
                WriteChunkPrefix(memory.Span, read);
                "\r\n"u8.CopyTo(memory.Span[(ChunkPrefix + read)..]);
                output.Advance(ChunkPrefix + read + 2);
            }
            else
            {
                output.Advance(read);
            }

            record.BytesOut += read;
            copied += read;
            if (!connection.BodyComplete && !await FlushedAsync(output).ConfigureAwait(false))
            {
                connection.Abort();
                return ForwarderError.ResponseBodyClient;
            }
        }

        if (chunked)
        {
            output.Write("0\r\n\r\n"u8);
        }

        return await FlushedAsync(output).ConfigureAwait(false) ? ForwarderError.None : ForwarderError.ResponseBodyClient;
    }

    private static void WriteChunkPrefix(Span<byte> destination, int size)
    {
        // Leading zeros are allowed in a chunk size (RFC 9112 §7.1: 1*HEXDIG), so the prefix has a fixed width.
        Utf8Formatter.TryFormat(size, destination, out _, new StandardFormat('X', 4));
        destination[4] = (byte)'\r';
        destination[5] = (byte)'\n';
    }

    internal static async ValueTask<bool> FlushedAsync(PipeWriter output)
    {
        try
        {
            var flush = await output.FlushAsync().ConfigureAwait(false);
            return !flush.IsCompleted && !flush.IsCanceled;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>An answer of the router's own (502, 503, 504): no body, the request id, Retry-After on a 503.</summary>
    internal static async ValueTask<bool> LocalAsync(PipeWriter output, RequestRecord record, int status, bool close)
    {
        record.Status = status;
        var head = new RequestHeadBuffer(256);
        try
        {
            head.Write(StatusLine(status));
            head.Write(status == 503 ? "Retry-After: 5\r\nContent-Length: 0\r\n"u8 : "Content-Length: 0\r\n"u8);
            FinishHead(ref head, record.RequestId, close);
            output.Write(head.Written.Span);
        }
        finally
        {
            head.Dispose();
        }

        return await FlushedAsync(output).ConfigureAwait(false) && !close;
    }

    /// <summary>"HTTP/1.1 200 OK\r\n": made once per status code, with Kestrel's reason phrases.</summary>
    private static byte[] StatusLine(int status)
    {
        var cached = (uint)status < (uint)StatusLines.Length ? StatusLines[status] : null;
        if (cached is not null)
        {
            return cached;
        }

        var line = System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {ReasonPhrases.GetReasonPhrase(status)}\r\n");
        if ((uint)status < (uint)StatusLines.Length)
        {
            StatusLines[status] = line;
        }

        return line;
    }
}
