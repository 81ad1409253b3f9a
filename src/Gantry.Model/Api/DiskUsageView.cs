namespace Gantry.Model.Api;

/// <summary>What Gantry keeps on disk, by part (`GET /api/v1/system/df`, `gantry system df`).</summary>
/// <param name="DataDirectory">The server's data directory (store, bundles, registry).</param>
/// <param name="Parts">One entry per part, in a fixed order: store, bundles, registry, logs, release images, other.</param>
public sealed record DiskUsageView(string DataDirectory, IReadOnlyList<DiskUsagePart> Parts)
{
    /// <summary>Bytes in the data directory (the parts whose path is inside it, and "other").</summary>
    public long DataDirectoryBytes { get; init; }
}

/// <summary>One part of <see cref="DiskUsageView"/>.</summary>
/// <param name="Name">store, bundles, registry, logs, metrics, release-images or other (see <see cref="DiskUsageParts"/>).</param>
/// <param name="Bytes">Bytes on disk; for release images, the sizes the engine reports (layers shared between images count once per image).</param>
public sealed record DiskUsagePart(string Name, long Bytes)
{
    /// <summary>The file or directory measured; null for release images (they live in the engine).</summary>
    public string? Path { get; init; }

    /// <summary>How many files (or, for release images, images) the part holds.</summary>
    public long Items { get; init; }

    /// <summary>What the part is, or why it could not be measured.</summary>
    public string? Note { get; init; }
}

/// <summary>The names of <see cref="DiskUsagePart"/>s.</summary>
public static class DiskUsageParts
{
    public const string Store = "store";
    public const string Bundles = "bundles";
    public const string Registry = "registry";
    public const string Logs = "logs";
    public const string Metrics = "metrics";
    /// <summary>The replicas' own output, kept by Gantry's log store (`gantry logs`).</summary>
    public const string ReplicaLogs = "replica-logs";
    /// <summary>The apps' bare git repositories (`git push` deploys).</summary>
    public const string Git = "git";
    /// <summary>The kept logs of pushed builds.</summary>
    public const string Builds = "builds";
    public const string ReleaseImages = "release-images";
    public const string Other = "other";
}
