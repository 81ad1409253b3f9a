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

    public static async Task<TempStore> CreateAsync(Func<SqliteStoreOptions, SqliteStoreOptions>? configure = null)
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gantry-store-tests", Guid.NewGuid().ToString("N"));
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
