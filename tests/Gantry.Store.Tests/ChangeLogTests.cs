namespace Gantry.Store.Tests;

public sealed class ChangeLogTests
{
    [Fact]
    public async Task Compaction_OldChangesBeyondRetainCount_AreDeleted()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { ChangeLogRetainCount = 10, ChangeLogRetainAge = TimeSpan.FromMinutes(5), CompactEveryWrites = 1 });
        for (var i = 0; i < 50; i++)
        {
            await temp.Store.UpsertSpecAsync("App", "a", $$"""{"i":{{i}}}""", null);
        }
        var youngCount = SqliteFile.Query(temp.Path, "SELECT COUNT(*) FROM changes;");

        temp.Time.Advance(TimeSpan.FromMinutes(6));
        var last = await temp.Store.UpsertSpecAsync("App", "a", """{"i":"last"}""", null);

        // Young changes stay even beyond the count; once old, only the newest count survive.
        Assert.Equal("50", youngCount);
        Assert.Equal("10", SqliteFile.Query(temp.Path, "SELECT COUNT(*) FROM changes;"));
        Assert.Equal((last.ResourceVersion - 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
            SqliteFile.Query(temp.Path, "SELECT value FROM store_meta WHERE key = 'changes_compacted_through';"));
    }

    [Fact]
    public async Task AppendEventAsync_EventsWithoutApp_ShareOneBoundedBucket()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { MaxEventsPerApp = 5 });
        for (var i = 0; i < 12; i++)
        {
            await temp.Store.AppendEventAsync(new NewEvent("Node", $"n{i % 3}", "Warning", "DiskPressure", $"{i}"));
        }

        var events = await temp.Store.ListEventsAsync(new EventQuery { Kind = "Node" });

        Assert.Equal(["7", "8", "9", "10", "11"], events.Select(e => e.Message));
    }
}
