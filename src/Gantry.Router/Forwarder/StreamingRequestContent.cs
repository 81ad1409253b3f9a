using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Forwarder;

/// <summary>Streams the client's request body to the upstream as it arrives, through one pooled buffer (no buffering of the whole body).</summary>
public sealed class StreamingRequestContent : HttpContent
{
    private const int BufferSize = 64 * 1024;
    private readonly HttpRequest _source;
    private readonly CancellationToken _clientAborted;

    public StreamingRequestContent(HttpRequest source, long? contentLength)
    {
        _source = source;
        _clientAborted = source.HttpContext.RequestAborted;
        if (contentLength is { } length)
        {
            Headers.ContentLength = length;
        }
    }

    /// <summary>True once the client handler started sending the body: from then on the request must not be retried.</summary>
    public bool Started { get; private set; }

    /// <summary>True when reading from the client failed (the client aborted mid-upload), as opposed to the upstream failing.</summary>
    public bool ClientFailed { get; private set; }

    /// <summary>True when the client's body was malformed (Kestrel's BadHttpRequestException: a bad chunk size, a body cut
    /// short of its Content-Length): the client is still there and is owed a 400, not a silent close.</summary>
    public bool ClientMalformed { get; private set; }

    public long BytesSent { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Started = true;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await _source.Body.ReadAsync(buffer, _clientAborted).ConfigureAwait(false);
                }
                catch (BadHttpRequestException)
                {
                    ClientFailed = true;
                    ClientMalformed = true;
                    throw;
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    ClientFailed = true;
                    throw;
                }

                if (read == 0)
                {
                    return;
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                BytesSent += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
