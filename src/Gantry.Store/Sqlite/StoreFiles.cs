namespace Gantry.Store.Sqlite;

/// <summary>The files one SQLite store occupies on disk: the database and, beside it, its WAL and shared-memory index.</summary>
public static class StoreFiles
{
    /// <summary>The database file and the two SQLite keeps beside it (-wal, -shm); the -shm is only an index of the WAL.</summary>
    public static IReadOnlyList<string> Of(string databasePath) => [databasePath, databasePath + "-wal", databasePath + "-shm"];

    /// <summary>Bytes on disk of the database, its WAL and its index (missing files count as zero).</summary>
    public static long SizeOf(string databasePath)
    {
        long total = 0;
        foreach (var path in Of(databasePath))
        {
            var file = new FileInfo(path);
            if (file.Exists)
            {
                total += file.Length;
            }
        }
        return total;
    }
}
