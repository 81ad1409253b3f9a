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

    /// <summary>The change log keeps this many of the latest changes for watchers to resume from (unless
    /// <see cref="ChangeLogMaxBytes"/> cuts deeper).</summary>
    public int ChangeLogRetainCount { get; init; } = 10_000;

    /// <summary>Changes younger than this are kept beyond <see cref="ChangeLogRetainCount"/> for resumers, up to
    /// <see cref="ChangeLogMaxCount"/>.</summary>
    public TimeSpan ChangeLogRetainAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Hard cap on logged changes, whatever their age: at a high write rate the age rule alone would keep
    /// hours of status writes.</summary>
    public int ChangeLogMaxCount { get; init; } = 20_000;

    /// <summary>Hard cap on the JSON the change log holds (spec + status of every change, counted in characters):
    /// each status write copies the whole resource, so large status documents fill the log faster than its count says.</summary>
    public long ChangeLogMaxBytes { get; init; } = 64L << 20;

    /// <summary>Compaction of the change log runs once every this many writes (never on a timer: no writes, no compaction).</summary>
    public int CompactEveryWrites { get; init; } = 256;

    /// <summary>After a compaction, free pages are given back to the file system (incremental vacuum) once they add up
    /// to this many bytes; below it they are left for the next writes to reuse.</summary>
    public long VacuumThresholdBytes { get; init; } = 4L << 20;

    /// <summary>Events kept per app (events without an app share one bucket); older ones are pruned on append.</summary>
    public int MaxEventsPerApp { get; init; } = 1_000;

    /// <summary>Events older than this are pruned on append, whatever their app's count.</summary>
    public TimeSpan EventRetainAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Audit entries kept; the oldest are pruned on append beyond it.</summary>
    public int MaxAuditEntries { get; init; } = 100_000;

    /// <summary>Audit entries older than this are pruned on append.</summary>
    public TimeSpan AuditRetainAge { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Changes buffered per watcher before it is cut off and catches up from the log instead.</summary>
    public int WatchBufferCapacity { get; init; } = 1_024;

    /// <summary>Every problem with these options, each naming the field, the value and what is allowed; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Path))
        {
            errors.Add("SqliteStoreOptions.Path is empty: set it to the database file, e.g. /var/lib/gantry/gantry.db.");
        }
        if (BusyTimeout < TimeSpan.Zero)
        {
            errors.Add($"SqliteStoreOptions.BusyTimeout is {BusyTimeout}: use zero or more.");
        }
        if (ChangeLogRetainCount < 1)
        {
            errors.Add($"SqliteStoreOptions.ChangeLogRetainCount is {ChangeLogRetainCount}: keep at least 1 change.");
        }
        if (ChangeLogRetainAge < TimeSpan.Zero)
        {
            errors.Add($"SqliteStoreOptions.ChangeLogRetainAge is {ChangeLogRetainAge}: use zero or more.");
        }
        if (ChangeLogMaxCount < ChangeLogRetainCount)
        {
            errors.Add($"SqliteStoreOptions.ChangeLogMaxCount is {ChangeLogMaxCount}: use at least ChangeLogRetainCount ({ChangeLogRetainCount}).");
        }
        if (ChangeLogMaxBytes < 1)
        {
            errors.Add($"SqliteStoreOptions.ChangeLogMaxBytes is {ChangeLogMaxBytes}: use 1 or more.");
        }
        if (VacuumThresholdBytes < 0)
        {
            errors.Add($"SqliteStoreOptions.VacuumThresholdBytes is {VacuumThresholdBytes}: use zero or more.");
        }
        if (EventRetainAge <= TimeSpan.Zero)
        {
            errors.Add($"SqliteStoreOptions.EventRetainAge is {EventRetainAge}: use a positive duration such as 7.00:00:00.");
        }
        if (CompactEveryWrites < 1)
        {
            errors.Add($"SqliteStoreOptions.CompactEveryWrites is {CompactEveryWrites}: use 1 or more.");
        }
        if (MaxEventsPerApp < 1)
        {
            errors.Add($"SqliteStoreOptions.MaxEventsPerApp is {MaxEventsPerApp}: keep at least 1 event per app.");
        }
        if (WatchBufferCapacity < 1)
        {
            errors.Add($"SqliteStoreOptions.WatchBufferCapacity is {WatchBufferCapacity}: use 1 or more.");
        }
        return errors;
    }
}
