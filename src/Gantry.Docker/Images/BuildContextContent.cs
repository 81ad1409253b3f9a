using System.Net;

namespace Gantry.Docker.Images;

/// <summary>Request body that tars a directory directly into the socket, so large contexts are never held in memory.</summary>
internal sealed class BuildContextContent : HttpContent
{
    private readonly string _directory;
    private readonly string _dockerfile;

    public BuildContextContent(string directory, string dockerfile)
    {
        _directory = directory;
        _dockerfile = dockerfile;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        BuildContext.WriteDirectoryAsync(_directory, stream, _dockerfile);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        BuildContext.WriteDirectoryAsync(_directory, stream, _dockerfile, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
