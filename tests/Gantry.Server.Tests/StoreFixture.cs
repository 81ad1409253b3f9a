using Gantry.Store.Sqlite;

namespace Gantry.Server.Tests;

/// <summary>A real SQLite store in a fresh temporary directory (removed afterwards), on a manual clock: the base of the server's store-backed tests.</summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gantry-server-tests", Guid.NewGuid().ToString("N"));

    protected ManualTimeProvider Time { get; } = new();

    protected SqliteResourceStore Store { get; private set; } = null!;

    public virtual async Task InitializeAsync() =>
        Store = await SqliteResourceStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_directory, "gantry.db") }, Time);

    public virtual async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
