using Gantry.Registry.Api;
using Gantry.Registry.Content;

namespace Gantry.Registry.Browsing;

/// <summary>
/// The registry's content for people rather than clients: repositories with their newest push, tags with digest, size and
/// pusher, and deletes by tag or digest that do exactly what `DELETE /v2/NAME/manifests/REF` does (the same cache
/// invalidation and delete event), so a host (the server's API and console) offers them without going through HTTP.
/// Authorization is the caller's: this type answers whatever it is asked.
/// </summary>
public sealed class RegistryBrowser(RegistryCore core)
{
    /// <summary>Repositories in name order that <paramref name="visible"/> accepts, with their tag count and newest push.</summary>
    public async Task<IReadOnlyList<RepositorySummary>> ListRepositoriesAsync(Func<string, bool> visible, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(visible);
        var list = new List<RepositorySummary>();
        string? last = null;
        while (true)
        {
            IReadOnlyList<string> page = await core.Metadata.ListRepositoriesAsync(last, 500, ct).ConfigureAwait(false);
            if (page.Count == 0)
            {
                return list;
            }

            foreach (string repository in page.Where(visible))
            {
                IReadOnlyList<TagRecord> tags = await core.Metadata.ListTagRecordsAsync(repository, ct).ConfigureAwait(false);
                TagRecord? newest = tags.OrderByDescending(t => t.PushedAt).ThenBy(t => t.Tag, StringComparer.Ordinal).FirstOrDefault();
                list.Add(new RepositorySummary(repository, tags.Count, newest?.PushedAt, newest?.PushedBy));
            }

            last = page[^1];
        }
    }

    /// <summary>The repository's tags, newest push first; null when the repository does not exist.</summary>
    public async Task<IReadOnlyList<ImageTag>?> ListTagsAsync(string repository, CancellationToken ct)
    {
        if (!await core.Metadata.RepositoryExistsAsync(repository, ct).ConfigureAwait(false))
        {
            return null;
        }

        IReadOnlyList<TagRecord> tags = await core.Metadata.ListTagRecordsAsync(repository, ct).ConfigureAwait(false);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var list = new List<ImageTag>(tags.Count);
        foreach (TagRecord tag in tags.OrderByDescending(t => t.PushedAt).ThenBy(t => t.Tag, StringComparer.Ordinal))
        {
            ManifestRecord? manifest = await core.Metadata.GetManifestAsync(repository, tag.Digest, ct).ConfigureAwait(false);
            if (!sizes.TryGetValue(tag.Digest, out long size))
            {
                size = await SizeAsync(repository, tag.Digest, new HashSet<string>(StringComparer.Ordinal), depth: 0, ct).ConfigureAwait(false);
                sizes[tag.Digest] = size;
            }

            list.Add(new ImageTag(tag.Tag, tag.Digest, manifest?.MediaType ?? "", size, tag.PushedAt, tag.PushedBy ?? manifest?.PushedBy));
        }

        return list;
    }

    /// <summary>
    /// The repository's manifests that no tag names and no other manifest lists (an index's platform images are not
    /// "untagged": they go with their index), newest first; null when the repository does not exist.
    /// </summary>
    public async Task<IReadOnlyList<UntaggedManifest>?> ListUntaggedAsync(string repository, CancellationToken ct)
    {
        if (!await core.Metadata.RepositoryExistsAsync(repository, ct).ConfigureAwait(false))
        {
            return null;
        }

        var tagged = (await core.Metadata.ListTagRecordsAsync(repository, ct).ConfigureAwait(false)).Select(t => t.Digest).ToHashSet(StringComparer.Ordinal);
        var list = new List<UntaggedManifest>();
        foreach (ManifestRecord manifest in await core.Metadata.ListManifestsAsync(repository, ct).ConfigureAwait(false))
        {
            if (tagged.Contains(manifest.Digest) || await core.Metadata.IsManifestReferencedAsync(repository, manifest.Digest, ct).ConfigureAwait(false))
            {
                continue;
            }

            long size = await SizeAsync(repository, manifest.Digest, new HashSet<string>(StringComparer.Ordinal), depth: 0, ct).ConfigureAwait(false);
            list.Add(new UntaggedManifest(manifest.Digest, manifest.MediaType, size, manifest.PushedAt, manifest.PushedBy));
        }

        return list;
    }

    /// <summary>The manifest, what it references and, for an index, its platforms' images; each digest counted once.</summary>
    private async Task<long> SizeAsync(string repository, string digest, HashSet<string> counted, int depth, CancellationToken ct)
    {
        if (!counted.Add(digest))
        {
            return 0;
        }

        ManifestRecord? manifest = await core.Metadata.GetManifestAsync(repository, digest, ct).ConfigureAwait(false);
        if (manifest is null || depth > 2)
        {
            return manifest?.Size ?? Math.Max(0, core.Blobs.SizeOf(digest));
        }

        long total = manifest.Size;
        foreach (string child in await core.Metadata.ListManifestReferencesAsync(repository, digest, ct).ConfigureAwait(false))
        {
            total += await SizeAsync(repository, child, counted, depth + 1, ct).ConfigureAwait(false);
        }

        return total;
    }

    /// <summary>
    /// Deletes a tag (the manifest stays, reachable by digest and by its other tags) or, for a digest, the manifest with
    /// every tag on it, and publishes the delete event with <paramref name="actor"/>. Blobs are left to the collector.
    /// </summary>
    public async Task<ImageDeletion> DeleteAsync(string repository, string reference, string? actor, CancellationToken ct)
    {
        if (Digest.LooksLikeDigest(reference))
        {
            if (!Digest.TryParse(reference, out _))
            {
                return ImageDeletion.Invalid;
            }

            ManifestRecord? record = await core.Metadata.GetManifestAsync(repository, reference, ct).ConfigureAwait(false);
            IReadOnlyList<string>? tags = await core.Metadata.DeleteManifestAsync(repository, reference, ct).ConfigureAwait(false);
            if (tags is null)
            {
                return ImageDeletion.NotFound;
            }

            core.InvalidateRepository(repository);
            core.Publish(RegistryEventAction.Delete, repository, reference, null, record?.MediaType, record?.Size ?? 0, actor);
            return new ImageDeletion(ImageDeletionResult.Deleted, reference, tags);
        }

        string? digest = await core.Metadata.ResolveTagAsync(repository, reference, ct).ConfigureAwait(false);
        if (digest is null || !await core.Metadata.DeleteTagAsync(repository, reference, ct).ConfigureAwait(false))
        {
            return ImageDeletion.NotFound;
        }

        core.InvalidateTag(repository, reference);
        core.Publish(RegistryEventAction.Delete, repository, digest, reference, null, 0, actor);
        return new ImageDeletion(ImageDeletionResult.Deleted, digest, [reference]);
    }
}
