namespace Gantry.Server.Logs;

/// <summary>Where the replicas' logs are kept and how much of them (`gantry server --log-retention-size/--log-retention-age`).</summary>
public sealed record LogStoreOptions
{
    /// <summary>The store's folder, inside the server's data directory (one folder per app below it).</summary>
    public required string Directory { get; init; }

    /// <summary>The most the store keeps on disk, compressed segments and open ones together; the oldest segments go first beyond it.</summary>
    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>Lines older than this are deleted (a whole segment once its newest line is), and not collected at all.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// An app's open segment is sealed (compressed, indexed) at this size, or when a line of a later day (UTC) arrives.
    /// Bigger segments compress better; smaller ones let a query skip more and retention free space in finer steps.
    /// </summary>
    public long SegmentBytes { get; init; } = 8L << 20;

    /// <summary>How long collected lines wait in memory before they are appended together (a crash loses at most this much).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Lines a follower may fall behind by before newer lines are dropped for it (the store never waits for a reader).</summary>
    public int FollowerBuffer { get; init; } = 10_000;
}
