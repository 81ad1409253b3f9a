using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Images;

/// <summary>Image operations of the Engine API: build from a tar context, pull, tag, push, inspect, list, remove.</summary>
public sealed class ImagesClient
{
    private readonly DockerConnection _connection;

    internal ImagesClient(DockerConnection connection) => _connection = connection;

    /// <summary>
    /// Builds from a tar context and streams the daemon's progress; an error line in the stream (a failing RUN,
    /// a missing base image) is raised as <see cref="DockerApiException"/> with <see cref="DockerApiException.InStream"/> set.
    /// </summary>
    public IAsyncEnumerable<ImageProgressMessage> BuildStreamAsync(Stream tarContext, ImageBuildOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tarContext);
        return BuildStreamAsync(new StreamContent(tarContext), options, cancellationToken);
    }

    /// <summary>Builds from a tar context and returns the image id, reporting each progress line.</summary>
    public Task<string> BuildAsync(Stream tarContext, ImageBuildOptions options, IProgress<ImageProgressMessage>? progress = null,
        CancellationToken cancellationToken = default) =>
        CollectImageIdAsync(BuildStreamAsync(tarContext, options, cancellationToken), progress);

    /// <summary>Builds from a directory, streaming it as tar (honouring .dockerignore) straight into the request body.</summary>
    public Task<string> BuildFromDirectoryAsync(string directory, ImageBuildOptions options,
        IProgress<ImageProgressMessage>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var content = new BuildContextContent(directory, options.Dockerfile);
        return CollectImageIdAsync(BuildStreamAsync(content, options, cancellationToken), progress);
    }

    /// <summary>Pulls an image; tag defaults to latest when neither it nor the reference names one. Errors arrive as <see cref="DockerApiException"/>.</summary>
    public async IAsyncEnumerable<ImageProgressMessage> PullStreamAsync(string image, string? tag = null, RegistryAuth? auth = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        var request = DockerRequest.Post("/images/create", new QueryString().Add("fromImage", image).Add("tag", ImageReference.PullTag(image, tag))) with
        {
            Headers = AuthHeader(auth),
        };
        await foreach (var message in StreamProgressAsync(request, cancellationToken).ConfigureAwait(false))
        {
            yield return message;
        }
    }

    /// <summary>Pulls an image and waits for completion.</summary>
    public async Task PullAsync(string image, string? tag = null, RegistryAuth? auth = null,
        IProgress<ImageProgressMessage>? progress = null, CancellationToken cancellationToken = default)
    {
        await foreach (var message in PullStreamAsync(image, tag, auth, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(message);
        }
    }

    /// <summary>Pushes <c>name:tag</c> to the registry named in it; returns the pushed manifest digest when the daemon reports it.</summary>
    public async Task<string?> PushAsync(string name, string? tag = null, RegistryAuth? auth = null,
        IProgress<ImageProgressMessage>? progress = null, CancellationToken cancellationToken = default)
    {
        var request = DockerRequest.Post($"/images/{name}/push", new QueryString().Add("tag", tag)) with
        {
            Headers = new Dictionary<string, string> { ["X-Registry-Auth"] = auth?.ToHeaderValue() ?? RegistryAuth.AnonymousHeaderValue },
        };
        string? digest = null;
        await foreach (var message in StreamProgressAsync(request, cancellationToken).ConfigureAwait(false))
        {
            digest = message.Aux?.Digest ?? digest;
            progress?.Report(message);
        }

        return digest;
    }

    /// <summary>Adds the tag <c>repository:tag</c> to an existing image.</summary>
    public Task TagAsync(string image, string repository, string? tag = null, CancellationToken cancellationToken = default) =>
        _connection.SendNoContentAsync(
            DockerRequest.Post($"/images/{image}/tag", new QueryString().Add("repo", repository).Add("tag", tag)),
            cancellationToken);

    /// <summary>Inspects an image by name, tag or id.</summary>
    public Task<ImageInspectResponse> InspectAsync(string image, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        return _connection.GetJsonAsync(DockerRequest.Get($"/images/{image}/json"), DockerJsonContext.Default.ImageInspectResponse,
            cancellationToken);
    }

    /// <summary>Inspects, or returns null when the image does not exist.</summary>
    public async Task<ImageInspectResponse?> TryInspectAsync(string image, CancellationToken cancellationToken = default)
    {
        try
        {
            return await InspectAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Lists images.</summary>
    public Task<IReadOnlyList<ImageSummary>> ListAsync(ImageListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ImageListOptions();
        return _connection.GetJsonAsync(
            DockerRequest.Get("/images/json", new QueryString().AddFlag("all", options.All).Add("filters", options.Filters)),
            DockerJsonContext.Default.IReadOnlyListImageSummary, cancellationToken);
    }

    /// <summary>Removes an image or one of its tags; 409 when a container uses it unless force.</summary>
    public Task<IReadOnlyList<ImageDeleteResponseItem>> RemoveAsync(string image, bool force = false, bool noPrune = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        return _connection.GetJsonAsync(
            DockerRequest.Delete($"/images/{image}", new QueryString().AddFlag("force", force).AddFlag("noprune", noPrune)),
            DockerJsonContext.Default.IReadOnlyListImageDeleteResponseItem, cancellationToken);
    }

    /// <summary>
    /// Creates an image from a root file system tar (<c>docker import</c>): one layer, tagged <c>repository:tag</c>, with
    /// Dockerfile instructions such as ENTRYPOINT, ENV or LABEL applied as <paramref name="changes"/>.
    /// </summary>
    public async Task ImportAsync(Stream rootfs, string repository, string tag, IReadOnlyList<string>? changes = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rootfs);
        var query = new QueryString().Add("fromSrc", "-").Add("repo", repository).Add("tag", tag);
        foreach (var change in changes ?? [])
        {
            query.Add("changes", change);
        }
        var content = new StreamContent(rootfs);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        var request = DockerRequest.Post("/images/create", query) with { Content = content };
        await foreach (var _ in StreamProgressAsync(request, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    /// <summary>The images as one tar (<c>docker save</c>), streamed: the caller reads and disposes it.</summary>
    public async Task<Stream> SaveAsync(IReadOnlyList<string> images, CancellationToken cancellationToken = default)
    {
        var query = new QueryString();
        foreach (var image in images)
        {
            query.Add("names", image);
        }
        return await _connection.OpenStreamAsync(DockerRequest.Get("/images/get", query), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads images from a <c>docker save</c> tar (<c>docker load</c>); an error in the engine's answer is raised.</summary>
    public async Task LoadAsync(Stream tar, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tar);
        var content = new StreamContent(tar);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        var request = DockerRequest.Post("/images/load", new QueryString().Add("quiet", "1")) with { Content = content };
        await foreach (var _ in StreamProgressAsync(request, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    private async IAsyncEnumerable<ImageProgressMessage> BuildStreamAsync(HttpContent content, ImageBuildOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        var query = new QueryString();
        foreach (var tag in options.Tags)
        {
            query.Add("t", tag);
        }

        query.Add("dockerfile", options.Dockerfile)
            .Add("target", options.Target)
            .Add("buildargs", ToJson(options.BuildArgs))
            .Add("labels", ToJson(options.Labels))
            .Add("rm", options.Remove)
            .Add("forcerm", options.ForceRemove)
            .AddFlag("pull", options.Pull)
            .AddFlag("nocache", options.NoCache)
            .Add("cpuquota", options.CpuQuota)
            .Add("cpuperiod", options.CpuPeriod)
            .Add("memory", options.Memory)
            .Add("memswap", options.MemorySwap);
        var request = DockerRequest.Post("/build", query) with { Content = content };
        await foreach (var message in StreamProgressAsync(request, cancellationToken).ConfigureAwait(false))
        {
            yield return message;
        }
    }

    private async IAsyncEnumerable<ImageProgressMessage> StreamProgressAsync(DockerRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = await _connection.OpenStreamAsync(request, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var message in JsonLines.ReadAsync(stream, DockerJsonContext.Default.ImageProgressMessage, cancellationToken)
                               .ConfigureAwait(false))
            {
                if (message.Error is not null || message.ErrorDetail?.Message is not null)
                {
                    throw new DockerApiException(HttpStatusCode.OK, (message.ErrorDetail?.Message ?? message.Error)!.Trim(),
                        request.Describe());
                }

                yield return message;
            }
        }
    }

    private static async Task<string> CollectImageIdAsync(IAsyncEnumerable<ImageProgressMessage> messages,
        IProgress<ImageProgressMessage>? progress)
    {
        string? imageId = null;
        await foreach (var message in messages.ConfigureAwait(false))
        {
            imageId = message.Aux?.Id ?? imageId;
            progress?.Report(message);
        }

        return imageId ?? throw new DockerTransportException("The build stream ended without reporting an image id.");
    }

    private static IReadOnlyDictionary<string, string> AuthHeader(RegistryAuth? auth) =>
        auth is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["X-Registry-Auth"] = auth.ToHeaderValue() };

    private static string? ToJson(IReadOnlyDictionary<string, string>? values) =>
        values is null || values.Count == 0
            ? null
            : JsonSerializer.Serialize(values, DockerJsonContext.Default.IReadOnlyDictionaryStringString);
}
