namespace Gantry.Store.Sqlite;

/// <summary>Where the SQLite store keeps its file and how much history it retains.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>The database file (created with its directory if missing), e.g. /var/lib/gantry/gantry.db.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// Holds an exclusive lock on "PATH.lock" while open, so a second server on the same file fails fast instead of
    /// silently missing the first one's changes in its watches (the lock dies with the process, even on SIGKILL).
    /// </summary>
    public bool ExclusiveLock { get; init; } = true;

    /// <summary>How long a connection waits for a lock held by another connection before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The change log always keeps at least this many of the latest changes for watchers to resume from.</summary>
    public int ChangeLogRetainCount { get; init; } = 10_000;

    /// <summary>Changes younger than this are kept even beyond <see cref="ChangeLogRetainCount"/>.</summary>
    public TimeSpan ChangeLogRetainAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Compaction of the change log runs once every this many writes.</summary>
    public int CompactEveryWrites { get; init; } = 256;

    /// <summary>Events kept per app (events without an app share one bucket); older ones are pruned on append.</summary>
    public int MaxEventsPerApp { get; init; } = 1_000;

    /// <summary>Changes buffered per watcher before it is cut off and catches up from the log instead.</summary>
    public int WatchBufferCapacity { get; init; } = 1_024;
}
