namespace Gantry.Registry.Storage;

/// <summary>A manifest body ready to serve, with the precomputed header values of the hot pull path.</summary>
public sealed class CachedManifest(string digest, string mediaType, byte[] body)
{
    public string Digest { get; } = digest;

    public string MediaType { get; } = mediaType;

    public byte[] Body { get; } = body;

    public string ETag { get; } = "\"" + digest + "\"";

    /// <summary>Recency stamp for eviction; written racily on hits on purpose (approximate LRU, no lock on reads).</summary>
    public long LastUsed;
}
