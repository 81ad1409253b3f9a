namespace Gantry.Store.Tests;

public sealed class WatchOverflowTests
{
    private const string Kind = "W";

    [Fact]
    public async Task WatchAsync_SlowWatcherOverflowsBuffer_CatchesUpFromLogWithoutGaps()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { WatchBufferCapacity = 4 });
        await temp.Store.CreateAsync(Kind, "a", "{}");
        await using var watch = new WatchReader(ct => temp.Store.WatchAsync(Kind, ct));
        var synced = (await watch.ReadUntilAsync(c => c.Type == ResourceChangeType.Synced))[^1];

        // The watcher reads nothing while 200 changes commit: its 4-slot buffer overflows.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(() => WatchTests.WriteMixAsync(temp.Store, w, 100))));
        var marker = await temp.Store.CreateAsync(Kind, "marker", "{}");
        var live = await watch.ReadUntilAsync(c => c.ResourceVersion == marker.ResourceVersion);

        var expected = Enumerable.Range(1, (int)(marker.ResourceVersion - synced.ResourceVersion)).Select(i => synced.ResourceVersion + i);
        Assert.Equal(expected, live.Select(c => c.ResourceVersion));
        Assert.DoesNotContain(live, c => c.Type == ResourceChangeType.Synced);
        await WatchReader.AssertStateMatchesAsync(watch, temp.Store, Kind);
    }

    [Fact]
    public async Task WatchAsync_SlowWatcherAndCompactedLog_RelistsTheDifferenceThenSynced()
    {
        await using var temp = await TempStore.CreateAsync(o => o with
        {
            WatchBufferCapacity = 2,
            ChangeLogRetainCount = 3,
            ChangeLogRetainAge = TimeSpan.Zero,
            CompactEveryWrites = 1,
        });
        await temp.Store.CreateAsync(Kind, "gone", "{}");
        await temp.Store.CreateAsync(Kind, "changed", "{}");
        await temp.Store.CreateAsync(Kind, "same", "{}");
        var recreatedBefore = await temp.Store.CreateAsync(Kind, "recreated", "{}");
        await using var watch = new WatchReader(ct => temp.Store.WatchAsync(Kind, ct));
        await watch.ReadUntilAsync(c => c.Type == ResourceChangeType.Synced);

        temp.Time.Advance(TimeSpan.FromSeconds(1));
        await temp.Store.DeleteAsync(Kind, "gone");
        await temp.Store.UpsertSpecAsync(Kind, "changed", """{"v":2}""", null);
        await temp.Store.DeleteAsync(Kind, "recreated");
        var recreated = await temp.Store.CreateAsync(Kind, "recreated", """{"v":2}""");
        for (var i = 0; i < 30; i++)
        {
            await temp.Store.UpsertSpecAsync(Kind, "busy", $$"""{"i":{{i}}}""", null);
            temp.Time.Advance(TimeSpan.FromMilliseconds(10));
        }
        var last = await temp.Store.UpsertSpecAsync(Kind, "busy", """{"i":"last"}""", null);
        var relist = await watch.ReadUntilAsync(c => c.Type == ResourceChangeType.Synced);

        Assert.True(relist[^1].ResourceVersion >= last.ResourceVersion);
        Assert.Contains(relist, c => c is { Type: ResourceChangeType.Deleted, Resource.Name: "gone" });
        Assert.Contains(relist, c => c is { Type: ResourceChangeType.Modified, Resource.Name: "changed" });
        Assert.Contains(relist, c => c.Type == ResourceChangeType.Deleted && c.Resource!.Uid == recreatedBefore.Uid);
        Assert.Contains(relist, c => c.Type == ResourceChangeType.Added && c.Resource == recreated);
        Assert.DoesNotContain(relist, c => c.Resource?.Name == "same");
        var versions = relist.Select(c => c.ResourceVersion).ToList();
        Assert.Equal(versions.Order(), versions);
        await WatchReader.AssertStateMatchesAsync(watch, temp.Store, Kind);

        var after = await temp.Store.UpdateStatusAsync(Kind, "same", "{}", 1);
        Assert.Equal(after, (await watch.NextAsync()).Resource);
    }
}
