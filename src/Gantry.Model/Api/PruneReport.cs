namespace Gantry.Model.Api;

/// <summary>What the retention rules remove (`POST /api/v1/system/prune[?dryRun=true]`, `gantry system prune`).</summary>
/// <param name="DryRun">True when nothing was removed: the report says what would be.</param>
/// <param name="Releases">Release records past the retention (never the live, warm or rollback-target ones).</param>
/// <param name="Images">Images only those releases referenced, removed from the engine.</param>
public sealed record PruneReport(bool DryRun, IReadOnlyList<PrunedRelease> Releases, IReadOnlyList<PrunedImage> Images)
{
    /// <summary>Releases kept per app.</summary>
    public int KeepReleases { get; init; }

    /// <summary>The store's files before and after compaction (bytes); equal on a dry run.</summary>
    public long StoreBytesBefore { get; init; }

    public long StoreBytesAfter { get; init; }

    /// <summary>Bytes of uploaded bundles no app or kept release references: freed, or on a dry run, freeable now.</summary>
    public long BundleBytes { get; init; }

    /// <summary>Rows the store's compaction removed (change log and events past their bounds).</summary>
    public long StoreRowsRemoved { get; init; }
}

/// <param name="Phase">The release's phase when it was pruned (superseded, failed, rolled-back...).</param>
public sealed record PrunedRelease(string App, long Number, string Phase);

/// <summary>An image of pruned releases.</summary>
/// <param name="Id">The image id (sha256:...).</param>
/// <param name="Releases">The pruned releases that referenced it, as app.number.</param>
public sealed record PrunedImage(string Id, IReadOnlyList<string> Releases)
{
    /// <summary>Its size as the engine reported it before removal; null when the engine no longer had it.</summary>
    public long? Bytes { get; init; }

    /// <summary>removed, missing, in-use (a container still uses it: kept) or, on a dry run, would-remove (see <see cref="PruneOutcomes"/>).</summary>
    public string Outcome { get; init; } = PruneOutcomes.WouldRemove;
}

/// <summary>The outcomes of <see cref="PrunedImage.Outcome"/>.</summary>
public static class PruneOutcomes
{
    public const string WouldRemove = "would-remove";
    public const string Removed = "removed";
    public const string Missing = "missing";
    public const string InUse = "in-use";
}
