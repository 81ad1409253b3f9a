namespace Gantry.Store.Sqlite;

/// <summary>What one compaction keeps of the change log (from <see cref="SqliteStoreOptions"/> and the clock).</summary>
internal sealed record ChangeLogBounds(int RetainCount, DateTimeOffset OlderThan, int MaxCount, long MaxBytes)
{
    public static ChangeLogBounds From(SqliteStoreOptions options, DateTimeOffset now) =>
        new(options.ChangeLogRetainCount, now - options.ChangeLogRetainAge, options.ChangeLogMaxCount, options.ChangeLogMaxBytes);
}
