using Gantry.Registry.Events;
using Gantry.Registry.Storage;

namespace Gantry.Registry.Api;

/// <summary>The registry's shared runtime state, handed to every handler: stores, cache, clock and event fan-out.</summary>
public sealed class RegistryCore(
    RegistryOptions options,
    IRegistryMetadataStore metadata,
    BlobStore blobs,
    UploadStore uploads,
    ManifestCache cache,
    RegistryEventPublisher events,
    TimeProvider time)
{
    private long _tagVersion;

    public RegistryOptions Options { get; } = options;
    public IRegistryMetadataStore Metadata { get; } = metadata;
    public BlobStore Blobs { get; } = blobs;
    public UploadStore Uploads { get; } = uploads;
    public ManifestCache Cache { get; } = cache;
    public RegistryEventPublisher Events { get; } = events;
    public TimeProvider Time { get; } = time;

    /// <summary>
    /// Bumped after every tag move or delete. A reader that resolved a tag re-checks it after filling the cache, and
    /// drops its entry when it changed, so a tag move racing a pull can never leave a stale manifest cached.
    /// </summary>
    public long TagVersion => Interlocked.Read(ref _tagVersion);

    public void InvalidateTag(string repository, string tag)
    {
        Interlocked.Increment(ref _tagVersion);
        Cache.Remove(ManifestCache.Key(repository, tag));
    }

    public void InvalidateRepository(string repository)
    {
        Interlocked.Increment(ref _tagVersion);
        Cache.RemoveRepository(repository);
    }

    public void Publish(RegistryEventAction action, string repository, string digest, string? tag, string? mediaType, long size, string? actor) =>
        Events.Publish(new RegistryEvent
        {
            Id = Guid.NewGuid().ToString("N"),
            Action = action,
            Repository = repository,
            Digest = digest,
            Tag = tag,
            MediaType = mediaType,
            Size = size,
            Actor = actor,
            Timestamp = Time.GetUtcNow(),
        });
}
