namespace Gantry.Registry.Gc;

/// <summary>What a run started now would remove, computed without removing anything (`gantry registry gc run --dry-run`).</summary>
public sealed record GarbageCollectionPreview(
    IReadOnlyList<CollectableTag> Tags,
    IReadOnlyList<CollectableManifest> Manifests,
    IReadOnlyList<CollectableBlob> Blobs,
    int UploadsExpiring)
{
    /// <summary>The bytes the blobs hold: what the run would free on disk (manifest bodies are blobs too).</summary>
    public long Bytes => Blobs.Sum(b => b.Size);
}
