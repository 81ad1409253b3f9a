using Gantry.Store.Sqlite;

namespace Gantry.Store.Tests;

/// <summary>A store in a fresh temporary directory that is removed afterwards.</summary>
public sealed class TempStore : IAsyncDisposable
{
    private readonly List<SqliteResourceStore> _opened = [];

    private TempStore(string directory, ManualTimeProvider time, Func<SqliteStoreOptions, SqliteStoreOptions> configure)
    {
        Directory = directory;
        Time = time;
        Configure = configure;
    }

    public string Directory { get; }

    public string Path => System.IO.Path.Combine(Directory, "gantry.db");

    public ManualTimeProvider Time { get; }

    public SqliteResourceStore Store => _opened[^1];

    private Func<SqliteStoreOptions, SqliteStoreOptions> Configure { get; }

    /// <param name="configure">Changes to the default options.</param>
    /// <param name="inMemoryFileSystem">Put the file on tmpfs (/dev/shm) where one exists: fsync is free there, so a test
    /// can make tens of thousands of writes in seconds. SQLite behaves the same otherwise.</param>
    public static async Task<TempStore> CreateAsync(Func<SqliteStoreOptions, SqliteStoreOptions>? configure = null, bool inMemoryFileSystem = false)
    {
        var root = inMemoryFileSystem && System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        var directory = System.IO.Path.Combine(root, "gantry-store-tests", Guid.NewGuid().ToString("N"));
        var temp = new TempStore(directory, new ManualTimeProvider(), configure ?? (o => o));
        await temp.OpenAsync();
        return temp;
    }

    public SqliteStoreOptions Options => Configure(new SqliteStoreOptions { Path = Path });

    /// <summary>Opens another store on the same file (the previous one stays open unless disposed).</summary>
    public async Task<SqliteResourceStore> OpenAsync()
    {
        var store = await SqliteResourceStore.OpenAsync(Options, Time, CancellationToken.None);
        _opened.Add(store);
        return store;
    }

    /// <summary>Opens another store on the same file with changed options (for example tighter retention).</summary>
    public async Task<SqliteResourceStore> OpenWithAsync(Func<SqliteStoreOptions, SqliteStoreOptions> change)
    {
        var store = await SqliteResourceStore.OpenAsync(change(Options), Time, CancellationToken.None);
        _opened.Add(store);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS temp cleaner gets the rest.
        }
    }
}
