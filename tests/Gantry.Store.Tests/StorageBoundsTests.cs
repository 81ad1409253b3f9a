using System.Globalization;

namespace Gantry.Store.Tests;

/// <summary>The store stays bounded under a heavy write rate: the change log by count and size, the file by vacuum, events by age.</summary>
public sealed class StorageBoundsTests
{
    private static long Count(TempStore temp, string table) =>
        long.Parse(SqliteFile.Query(temp.Path, $"SELECT COUNT(*) FROM {table};"), CultureInfo.InvariantCulture);

    /// <summary>A status document the size of a busy app's (a few KB), different at every write like an observedAt.</summary>
    private static string Status(int i, int padding = 2_000) =>
        $$"""{"phase":"Running","observedAt":{{i}},"pad":"{{new string('x', padding)}}"}""";

    [Fact]
    public async Task UpdateStatusAsync_FiftyThousandWritesWithinTheAgeWindow_ChangeLogStaysUnderMaxCount()
    {
        // Every write is "young" (the clock never moves): the age rule alone would keep all 50,000.
        await using var temp = await TempStore.CreateAsync(o => o with { ChangeLogRetainCount = 1_000, ChangeLogMaxCount = 2_000 }, inMemoryFileSystem: true);
        await temp.Store.CreateAsync("App", "hello", "{}");
        long peak = 0;
        for (var i = 0; i < 50_000; i++)
        {
            await temp.Store.UpdateStatusAsync("App", "hello", Status(i, padding: 100), 1);
            if (i % 5_000 == 4_999)
            {
                peak = Math.Max(peak, Count(temp, "changes"));
            }
        }

        var rows = Count(temp, "changes");

        // Compaction runs every 256 writes: the log may exceed the cap by at most that many rows between two runs.
        Assert.InRange(rows, 2_000, 2_000 + 256);
        Assert.InRange(peak, 2_000, 2_000 + 256);
        Assert.Equal(1, Count(temp, "resources"));
    }

    [Fact]
    public async Task UpdateStatusAsync_LargeStatusDocuments_ChangeLogStaysUnderMaxBytes()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { ChangeLogMaxBytes = 1L << 20, CompactEveryWrites = 16 }, inMemoryFileSystem: true);
        await temp.Store.CreateAsync("App", "hello", "{}");
        for (var i = 0; i < 2_000; i++)
        {
            await temp.Store.UpdateStatusAsync("App", "hello", Status(i, padding: 10_000), 1);
        }

        var bytes = long.Parse(SqliteFile.Query(temp.Path, "SELECT SUM(size) FROM changes;"), CultureInfo.InvariantCulture);

        // 1 MiB of JSON is about 100 of these documents, not the 10,000 the count rule alone would keep; 16 writes of slack.
        Assert.InRange(bytes, 1, (1L << 20) + 16 * 10_100);
        Assert.InRange(Count(temp, "changes"), 90, 120);
    }

    [Fact]
    public async Task CompactAsync_AfterABurst_GivesTheSpaceBackToTheFileSystem()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { ChangeLogMaxCount = 100_000, ChangeLogMaxBytes = 1L << 30 }, inMemoryFileSystem: true);
        await temp.Store.CreateAsync("App", "hello", "{}");
        for (var i = 0; i < 3_000; i++)
        {
            await temp.Store.UpdateStatusAsync("App", "hello", Status(i, padding: 8_000), 1);
        }
        await temp.Store.DisposeAsync();
        var afterBurst = new FileInfo(temp.Path).Length;
        var store = await temp.OpenWithAsync(o => o with { ChangeLogRetainCount = 10, ChangeLogMaxCount = 10, ChangeLogRetainAge = TimeSpan.Zero });

        var compaction = await store.CompactAsync();

        // 3,000 copies of an 8 KB status (about 25 MB) become ten: the file is cut, not left full of free pages.
        Assert.True(afterBurst > 20L << 20, $"the burst wrote {afterBurst} bytes");
        Assert.Equal(2_991, compaction.ChangesRemoved);
        Assert.True(compaction.BytesAfter < 1L << 20, $"{compaction.BytesAfter} bytes left after compaction");
        Assert.True(new FileInfo(temp.Path).Length < 1L << 20);
        Assert.Equal("0", SqliteFile.Query(temp.Path, "PRAGMA freelist_count;"));
    }

    [Fact]
    public async Task UpdateStatusAsync_SteadyWriteRate_FileSizeStaysBounded()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { ChangeLogRetainCount = 200, ChangeLogMaxCount = 200, VacuumThresholdBytes = 0 }, inMemoryFileSystem: true);
        await temp.Store.CreateAsync("App", "hello", "{}");
        var sizes = new List<long>();
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < 2_000; i++)
            {
                await temp.Store.UpdateStatusAsync("App", "hello", Status(i, padding: 4_000), 1);
            }
            sizes.Add(Gantry.Store.Sqlite.StoreFiles.SizeOf(temp.Path));
        }

        // 8,000 writes of 4 KB would be 32 MB; the log keeps about 450 of them (under 2 MB), and the WAL is checkpointed
        // and truncated at each compaction, so the files do not grow from round to round.
        Assert.All(sizes, size => Assert.True(size < 8L << 20, $"store files {size} bytes"));
        Assert.True(sizes[^1] <= sizes[0] + (1L << 20), $"grew from {sizes[0]} to {sizes[^1]}");
        Assert.True(new FileInfo(temp.Path + "-wal").Length < 4L << 20);
    }

    [Fact]
    public async Task UpdateStatusAsync_SameStatusAgain_LogsNothingAndCompactsNothing()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { CompactEveryWrites = 1, ChangeLogRetainCount = 1, ChangeLogMaxCount = 1 });
        await temp.Store.CreateAsync("App", "hello", "{}");
        var written = await temp.Store.UpdateStatusAsync("App", "hello", Status(1), 1);
        var log = SqliteFile.Query(temp.Path, "SELECT group_concat(resource_version) FROM changes;");

        for (var i = 0; i < 20; i++)
        {
            var again = await temp.Store.UpdateStatusAsync("App", "hello", Status(1), 1);
            Assert.Equal(written.ResourceVersion, again.ResourceVersion);
        }

        Assert.Equal(log, SqliteFile.Query(temp.Path, "SELECT group_concat(resource_version) FROM changes;"));
    }

    [Fact]
    public async Task OpenAsync_FileWithoutIncrementalVacuum_IsConvertedByMigration()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync("App", "hello", """{"image":"nginx"}""");
        await temp.Store.DisposeAsync();
        // What a file made by the first schema looks like: no auto-vacuum, and migrations 3 and later not yet applied.
        SqliteFile.Execute(temp.Path, "PRAGMA auto_vacuum = NONE; VACUUM; DELETE FROM schema_migrations WHERE version >= 3; DROP TABLE audit;");
        Assert.Equal("0", SqliteFile.Query(temp.Path, "PRAGMA auto_vacuum;"));

        var store = await temp.OpenAsync();

        Assert.Equal("2", SqliteFile.Query(temp.Path, "PRAGMA auto_vacuum;"));
        Assert.Equal("4", SqliteFile.Query(temp.Path, "SELECT MAX(version) FROM schema_migrations;"));
        Assert.Equal("""{"image":"nginx"}""", (await store.GetAsync("App", "hello"))!.SpecJson);
    }

    [Fact]
    public async Task OpenAsync_NewFile_UsesIncrementalVacuum()
    {
        await using var temp = await TempStore.CreateAsync();

        Assert.Equal("2", SqliteFile.Query(temp.Path, "PRAGMA auto_vacuum;"));
    }

    [Fact]
    public async Task AppendEventAsync_EventsOlderThanRetainAge_ArePruned()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { EventRetainAge = TimeSpan.FromDays(7) });
        for (var i = 0; i < 5; i++)
        {
            await temp.Store.AppendEventAsync(new NewEvent("App", "shop", "Normal", "Started", $"old {i}", App: "shop"));
        }
        await temp.Store.AppendEventAsync(new NewEvent("App", "blog", "Normal", "Started", "old blog", App: "blog"));
        temp.Time.Advance(TimeSpan.FromDays(6));
        await temp.Store.AppendEventAsync(new NewEvent("App", "shop", "Normal", "Started", "recent", App: "shop"));
        temp.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        await temp.Store.AppendEventAsync(new NewEvent("App", "shop", "Normal", "Started", "new", App: "shop"));

        // Age applies to every app at once (blog's old event goes too), while the 6-day-old one stays.
        var all = await temp.Store.ListEventsAsync(new EventQuery());
        Assert.Equal(["recent", "new"], all.Select(e => e.Message));
    }

    [Fact]
    public async Task CompactAsync_EventsOlderThanRetainAge_AreRemovedWithoutAnAppend()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { EventRetainAge = TimeSpan.FromHours(1) });
        await temp.Store.AppendEventAsync(new NewEvent("App", "shop", "Normal", "Started", "old", App: "shop"));
        temp.Time.Advance(TimeSpan.FromHours(2));

        var compaction = await temp.Store.CompactAsync();

        Assert.Equal(1, compaction.EventsRemoved);
        Assert.Empty(await temp.Store.ListEventsAsync(new EventQuery()));
    }
}
