namespace Gantry.Docker.Transport;

/// <summary>
/// A streamed response body that owns its HttpResponseMessage and turns socket failures mid-body into
/// <see cref="DockerTransportException"/>, so every stream parser above it sees one error vocabulary.
/// </summary>
internal sealed class DockerResponseStream : Stream
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _inner;
    private readonly DockerEndpoint _endpoint;
    private readonly string _operation;

    public DockerResponseStream(HttpResponseMessage response, Stream inner, DockerEndpoint endpoint, string operation)
    {
        _response = response;
        _inner = inner;
        _endpoint = endpoint;
        _operation = operation;
    }

    /// <summary>The response Content-Type, for example <c>application/vnd.docker.raw-stream</c>.</summary>
    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new DockerTransportException($"{_operation} on {_endpoint}: the response stream broke: {ex.Message}", ex);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // Cancelling a read tears the connection down; report that as the cancellation it is.
            throw new OperationCanceledException("The Docker stream was cancelled.", ex, cancellationToken);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Docker response streams are read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _response.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
