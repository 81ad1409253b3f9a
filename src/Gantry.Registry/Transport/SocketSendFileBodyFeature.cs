using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Registry.Transport;

/// <summary>
/// Kestrel's response body feature with a real <see cref="IHttpResponseBodyFeature.SendFileAsync"/>: Kestrel's own
/// copies the file through a 16 KiB buffer into the response pipe; this one queues the file on the connection's
/// <see cref="SocketResponseWriter"/>, which sends it with sendfile(2) right after the head Kestrel wrote.
/// </summary>
/// <remarks>
/// Everything HTTP stays Kestrel's and ASP.NET's: status, Range/If-Range/416, headers, keep-alive, and the body
/// byte count it checks against Content-Length (the bytes are counted through the body writer, then replaced by the
/// file at the flush). Whatever this path does not cover goes to Kestrel's own implementation.
/// </remarks>
internal sealed class SocketSendFileBodyFeature(IHttpResponseBodyFeature inner, HttpContext context, SocketResponseWriter writer) : IHttpResponseBodyFeature
{
    /// <summary>Bytes counted per GetMemory/Advance while a file segment is counted; only loop overhead depends on it.</summary>
    private const int CountStep = 256 * 1024;

    /// <summary>
    /// Installs the feature when the request can take the sendfile path: an HTTP/1.x GET whose response Kestrel
    /// writes straight into a <see cref="SocketResponseWriter"/> (plain TCP, no TLS, no HTTP/2 framing in between).
    /// </summary>
    public static bool TryInstall(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (!HttpMethods.IsGet(request.Method)
            || !(HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol))
            || context.Features.Get<IConnectionTransportFeature>()?.Transport?.Output is not SocketResponseWriter writer
            || context.Features.Get<IHttpResponseBodyFeature>() is not { } inner
            || context.Response.HasStarted)
        {
            return false;
        }

        context.Features.Set<IHttpResponseBodyFeature>(new SocketSendFileBodyFeature(inner, context, writer));
        return true;
    }

    public Stream Stream => inner.Stream;

    public PipeWriter Writer => inner.Writer;

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task CompleteAsync() => inner.CompleteAsync();

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken)
    {
        HttpResponse response = context.Response;
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
        long length = count ?? file.Length - offset;
        // Kestrel must frame the body by Content-Length (chunked framing would need chunk headers around the file).
        if (offset < 0 || length < 0 || offset + length > file.Length || response.HasStarted || response.ContentLength != length || writer.IsClosed)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            await inner.SendFileAsync(path, offset, count, cancellationToken).ConfigureAwait(false);
            return;
        }

        bool queued = false;
        try
        {
            await inner.StartAsync(cancellationToken).ConfigureAwait(false);
            writer.AppendFile(file, offset, length);
            queued = true;
            PipeWriter body = inner.Writer;
            for (long left = length; left > 0;)
            {
                int step = (int)Math.Min(left, CountStep);
                body.GetMemory(step);
                body.Advance(step);
                left -= step;
            }

            // The flush sends the head and then the file; a client gone mid-send aborts the request, as Kestrel's would.
            await body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!queued)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
