using System.Buffers;
using Gantry.Router.Upstream;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Forwarder;

/// <summary>Streams the client's request body to the upstream connection, beside the forwarder reading the response: a backend may
/// answer before it has read the body (an early 413, or a duplex stream), and neither side may wait for the other.</summary>
/// <remarks>One pooled 64 KiB buffer per request with a body; a body without a length goes upstream chunked, each read becoming one
/// chunk whose size line and CRLF are written around the data in the same buffer, so each read is one send. It never throws:
/// how it ended is read from its flags once <see cref="StopAsync"/> returns.</remarks>
internal sealed class RequestBodySender
{
    private const int BufferSize = 64 * 1024;

    // Room for a chunk-size line ("ffff\r\n") before the data and "\r\n" after it.
    private const int ChunkPrefix = 8;
    private const int ChunkSuffix = 2;

    private readonly HttpRequest _source;
    private readonly UpstreamConnection _connection;
    private readonly bool _chunked;
    private readonly CancellationTokenSource _stop;
    private readonly Task _run;
    private volatile bool _started;

    private RequestBodySender(HttpRequest source, UpstreamConnection connection, bool chunked, CancellationToken clientAborted)
    {
        _source = source;
        _connection = connection;
        _chunked = chunked;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        _run = RunAsync();
    }

    /// <summary>True once a body byte was read from the client: from then on the request cannot be sent again elsewhere.</summary>
    public bool Started => _started;

    /// <summary>Reading the client's body failed (it went away, or sent a malformed body).</summary>
    public bool ClientFailed { get; private set; }

    /// <summary>Kestrel refused the body as malformed (a bad chunk size, a body short of its Content-Length); the client is owed a 400.</summary>
    public bool ClientMalformed { get; private set; }

    public string? ClientError { get; private set; }

    /// <summary>The whole body reached the upstream.</summary>
    public bool Completed { get; private set; }

    public long BytesSent { get; private set; }

    public static RequestBodySender Start(HttpRequest source, UpstreamConnection connection, bool chunked, CancellationToken clientAborted) =>
        new(source, connection, chunked, clientAborted);

    public bool IsRunning => !_run.IsCompleted;

    /// <summary>Waits for the sender to finish; <paramref name="cancel"/> stops it first (the response ended, or the exchange failed).</summary>
    public async ValueTask StopAsync(bool cancel)
    {
        if (cancel && !_run.IsCompleted)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _run.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var ct = _stop.Token;
        try
        {
            var dataStart = _chunked ? ChunkPrefix : 0;
            var dataRoom = buffer.Length - dataStart - (_chunked ? ChunkSuffix : 0);
            dataRoom = Math.Min(dataRoom, 0xFFFF);
            while (true)
            {
                int read;
                try
                {
                    read = await _source.Body.ReadAsync(buffer.AsMemory(dataStart, dataRoom), ct).ConfigureAwait(false);
                }
                catch (BadHttpRequestException ex)
                {
                    ClientFailed = true;
                    ClientMalformed = true;
                    ClientError = ex.Message;
                    _connection.Abort();
                    return;
                }
                catch (Exception) when (!_stop.IsCancellationRequested || _source.HttpContext.RequestAborted.IsCancellationRequested)
                {
                    ClientFailed = true;
                    _connection.Abort();
                    return;
                }

                if (read == 0)
                {
                    if (_chunked)
                    {
                        await _connection.SendAsync("0\r\n\r\n"u8.ToArray(), ct).ConfigureAwait(false);
                    }

                    Completed = true;
                    return;
                }

                _started = true;
                ReadOnlyMemory<byte> send;
                if (_chunked)
                {
                    // "{size:x}\r\n" right before the data, "\r\n" right after it.
                    read.TryFormat(buffer.AsSpan(0, ChunkPrefix - 2), out var digits, "x", System.Globalization.CultureInfo.InvariantCulture);
                    var start = ChunkPrefix - (digits + 2);
                    buffer.AsSpan(0, digits).CopyTo(buffer.AsSpan(start));
                    buffer[ChunkPrefix - 2] = (byte)'\r';
                    buffer[ChunkPrefix - 1] = (byte)'\n';
                    buffer[ChunkPrefix + read] = (byte)'\r';
                    buffer[ChunkPrefix + read + 1] = (byte)'\n';
                    send = buffer.AsMemory(start, ChunkPrefix - start + read + ChunkSuffix);
                }
                else
                {
                    send = buffer.AsMemory(0, read);
                }

                await _connection.SendAsync(send, ct).ConfigureAwait(false);
                BytesSent += read;
            }
        }
        catch (Exception)
        {
            // The upstream stopped taking the body (it answered early and closed, or reset), or we were stopped: the response,
            // if any, decides the outcome, and the connection is not reused (Completed stays false).
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
