namespace Gantry.Store.Tests;

public sealed class PersistenceTests
{
    [Fact]
    public async Task OpenAsync_AfterDispose_FindsEverythingAndContinuesRevisions()
    {
        await using var temp = await TempStore.CreateAsync();
        var first = temp.Store;
        await first.CreateAsync("App", "shop", """{"image":"shop:1"}""");
        var status = await first.UpdateStatusAsync("App", "shop", """{"ready":2}""", 1);
        var marked = await first.CreateAsync("App", "old", "{}");
        marked = await first.RequestDeletionAsync("App", "old");
        var e = await first.AppendEventAsync(new NewEvent("App", "shop", "Normal", "Deployed", "release 1", App: "shop"));
        await first.SetSettingAsync("admin-token-sha256", "abc");
        await first.DisposeAsync();

        var second = await temp.OpenAsync();
        var next = await second.CreateAsync("App", "blog", "{}");

        Assert.Equal(status, await second.GetAsync("App", "shop"));
        Assert.Equal(marked, await second.GetAsync("App", "old"));
        Assert.Equal([e], await second.ListEventsAsync(new EventQuery { App = "shop" }));
        Assert.Equal("abc", await second.GetSettingAsync("admin-token-sha256"));
        Assert.Equal(marked.ResourceVersion + 1, next.ResourceVersion);
        Assert.Equal("4", SqliteFile.Query(temp.Path, "SELECT MAX(version) FROM schema_migrations;"));
        Assert.Equal("ok", SqliteFile.Query(temp.Path, "PRAGMA integrity_check;"));
    }

    [Fact]
    public async Task OpenAsync_WhilePreviousStoreWasNeverClosed_SeesCommittedWrites()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { ExclusiveLock = false });
        var abandoned = temp.Store;
        for (var i = 0; i < 20; i++)
        {
            await abandoned.UpsertSpecAsync("App", $"a{i}", $$"""{"i":{{i}}}""", null);
        }

        // The first store is left open, as after a crash; a new process opens the same file.
        var second = await temp.OpenAsync();

        Assert.Equal(20, (await second.ListAsync("App")).Count);
        Assert.Equal("ok", SqliteFile.Query(temp.Path, "PRAGMA integrity_check;"));
        Assert.Equal("wal", SqliteFile.Query(temp.Path, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task OpenAsync_FileOpenByAnotherStore_RefusesWithAClearMessage()
    {
        await using var temp = await TempStore.CreateAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(temp.OpenAsync);
        await temp.Store.DisposeAsync();
        var reopened = await temp.OpenAsync();

        Assert.Contains("in use by another Gantry server", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(reopened);
    }

    [Fact]
    public async Task OpenAsync_FileFromNewerSchema_RefusesWithAClearMessage()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.DisposeAsync();
        SqliteFile.Execute(temp.Path, "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0);");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(temp.OpenAsync);

        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Upgrade Gantry", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_MissingDirectory_CreatesIt()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gantry-store-tests", Guid.NewGuid().ToString("N"), "nested", "data");
        try
        {
            await using var store = await Gantry.Store.Sqlite.SqliteResourceStore.OpenAsync(
                new Gantry.Store.Sqlite.SqliteStoreOptions { Path = Path.Combine(directory, "gantry.db") }, TimeProvider.System);

            await store.CreateAsync("App", "a", "{}");

            Assert.True(File.Exists(store.FilePath));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(directory))!, recursive: true);
        }
    }

    [Fact]
    public async Task OpenAsync_InvalidOptions_ReportsEveryFieldAtOnce()
    {
        var options = new Gantry.Store.Sqlite.SqliteStoreOptions { Path = " ", ChangeLogRetainCount = 0, WatchBufferCapacity = -1 };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Gantry.Store.Sqlite.SqliteResourceStore.OpenAsync(options, TimeProvider.System));

        Assert.Contains("Path is empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ChangeLogRetainCount is 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("WatchBufferCapacity is -1", ex.Message, StringComparison.Ordinal);
    }
}
