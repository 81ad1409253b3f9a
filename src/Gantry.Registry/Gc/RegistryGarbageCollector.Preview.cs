namespace Gantry.Registry.Gc;

/// <summary>The dry run: the same decisions as a run, in the same order, on what the metadata says now, with nothing deleted.</summary>
public sealed partial class RegistryGarbageCollector
{
    /// <summary>
    /// What a run started now would delete: the tags retention deletes, the manifests that leaves unnamed (an index's children
    /// after it), and the blobs nothing would reference that are past the grace period, with their sizes; idle uploads counted.
    /// Taken under the run's own lock, so it never sees a run half done.
    /// </summary>
    public async Task<GarbageCollectionPreview> PreviewAsync(CancellationToken ct)
    {
        await _single.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var tags = new List<CollectableTag>();
            var removed = new HashSet<(string Repository, string Manifest)>();
            var manifests = new List<CollectableManifest>();
            await PlanRetentionAsync(tags, removed, manifests, ct).ConfigureAwait(false);
            var blobs = await PlanSweepAsync(removed, ct).ConfigureAwait(false);
            int uploads = core.Uploads.CountIdle(core.Time.GetUtcNow() - core.Options.UploadGracePeriod);
            return new GarbageCollectionPreview(tags, manifests, blobs, uploads);
        }
        finally
        {
            _single.Release();
        }
    }

    private async Task PlanRetentionAsync(List<CollectableTag> tags, HashSet<(string, string)> removed, List<CollectableManifest> manifests, CancellationToken ct)
    {
        IReadOnlyList<RetentionPolicy> policies = await RetentionPoliciesAsync(ct).ConfigureAwait(false);
        if (policies.Count == 0)
        {
            return;
        }
        string? last = null;
        while (true)
        {
            IReadOnlyList<string> page = await core.Metadata.ListRepositoriesAsync(last, 500, ct).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }
            foreach (string repository in page)
            {
                List<TagRecord>? left = null;
                var untagged = new List<string>();
                foreach (RetentionPolicy policy in policies.Where(p => RepositoryPatterns.Matches(p.RepositoryPattern, repository)))
                {
                    // Each rule sees the tags the rules before it left, as in a run.
                    left ??= [.. await core.Metadata.ListTagRecordsAsync(repository, ct).ConfigureAwait(false)];
                    foreach (TagRecord tag in RetentionPlanner.TagsToDelete(policy, left))
                    {
                        left.Remove(tag);
                        tags.Add(new CollectableTag(repository, tag.Tag, tag.Digest));
                        untagged.Add(tag.Digest);
                    }
                }
                foreach (string digest in untagged)
                {
                    await PlanOrphanAsync(repository, digest, left!, removed, manifests, depth: 0, ct).ConfigureAwait(false);
                }
            }
            last = page[^1];
        }
    }

    /// <summary>As <c>DeleteIfOrphanAsync</c>: no tag left on it and no manifest that stays lists it; an index's children follow.</summary>
    private async Task PlanOrphanAsync(string repository, string digest, List<TagRecord> tagsLeft, HashSet<(string, string)> removed,
        List<CollectableManifest> manifests, int depth, CancellationToken ct)
    {
        if (depth > 2 || removed.Contains((repository, digest)) || tagsLeft.Any(t => t.Digest == digest))
        {
            return;
        }
        var holders = await core.Metadata.ListDigestHoldersAsync(digest, ct).ConfigureAwait(false);
        if (holders.Any(h => h.Repository == repository && h.Manifest != digest && !removed.Contains(h)))
        {
            return;
        }
        if (await core.Metadata.GetManifestAsync(repository, digest, ct).ConfigureAwait(false) is null)
        {
            return;
        }
        removed.Add((repository, digest));
        manifests.Add(new CollectableManifest(repository, digest));
        foreach (string child in await core.Metadata.ListManifestReferencesAsync(repository, digest, ct).ConfigureAwait(false))
        {
            // Config and layers are no manifests: GetManifestAsync answers null for them and they stop there.
            await PlanOrphanAsync(repository, child, tagsLeft, removed, manifests, depth + 1, ct).ConfigureAwait(false);
        }
    }

    /// <summary>As <c>SweepBlobsAsync</c>: blobs past the grace period that nothing references, or that only removed manifests do.</summary>
    private async Task<List<CollectableBlob>> PlanSweepAsync(HashSet<(string, string)> removed, CancellationToken ct)
    {
        IReadOnlySet<string> referenced = await core.Metadata.ListReferencedDigestsAsync(ct).ConfigureAwait(false);
        DateTime cutoff = (core.Time.GetUtcNow() - core.Options.UploadGracePeriod).UtcDateTime;
        var blobs = new List<CollectableBlob>();
        foreach ((string digest, DateTime lastWrite) in core.Blobs.EnumerateBlobs().ToList())
        {
            if (lastWrite >= cutoff)
            {
                continue;
            }
            if (referenced.Contains(digest)
                && (removed.Count == 0 || (await core.Metadata.ListDigestHoldersAsync(digest, ct).ConfigureAwait(false)).Any(h => !removed.Contains(h))))
            {
                continue;
            }
            var file = new FileInfo(core.Blobs.PathFor(digest));
            if (file.Exists)
            {
                blobs.Add(new CollectableBlob(digest, file.Length));
            }
        }
        return blobs;
    }
}
