using System.Net;

namespace Gantry.Cli.Api;

/// <summary>
/// Request content produced by a callback as the request is sent: the bundle is tarred and gzip'd
/// straight into the socket (chunked), never held in memory or in a temporary file.
/// </summary>
internal sealed class StreamingContent(Func<Stream, CancellationToken, Task> write) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        write(stream, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        write(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
