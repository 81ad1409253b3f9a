namespace Gantry.Store.Tests;

public sealed class WatchTests
{
    private const string Kind = "W";

    [Fact]
    public async Task WatchAsync_ExistingResources_ListsThemThenSyncedThenLive()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync(Kind, "a", "{}");
        await temp.Store.CreateAsync(Kind, "b", "{}");
        await temp.Store.CreateAsync("Other", "x", "{}");
        await using var watch = new WatchReader(ct => temp.Store.WatchAsync(Kind, ct));

        var initial = await watch.ReadUntilAsync(c => c.Type == ResourceChangeType.Synced);
        var created = await temp.Store.CreateAsync(Kind, "c", "{}");
        await temp.Store.CreateAsync("Other", "y", "{}");
        var updated = await temp.Store.UpdateStatusAsync(Kind, "a", """{"ok":true}""", 1);
        var live1 = await watch.NextAsync();
        var live2 = await watch.NextAsync();

        Assert.Equal([ResourceChangeType.Added, ResourceChangeType.Added, ResourceChangeType.Synced], initial.Select(c => c.Type));
        Assert.Equal(["a", "b"], initial.Take(2).Select(c => c.Resource!.Name));
        Assert.Equal(3, initial[2].ResourceVersion);
        Assert.Null(initial[2].Resource);
        Assert.Equal(new ResourceChange(ResourceChangeType.Added, created, created.ResourceVersion), live1);
        Assert.Equal(new ResourceChange(ResourceChangeType.Modified, updated, updated.ResourceVersion), live2);
    }

    [Fact]
    public async Task WatchAsync_AllKinds_SeesEveryKind()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync("A", "one", "{}");
        await using var watch = new WatchReader(ct => temp.Store.WatchAsync(null, ct));
        await watch.ReadUntilAsync(c => c.Type == ResourceChangeType.Synced);

        await temp.Store.CreateAsync("B", "two", "{}");
        var live = await watch.NextAsync();

        Assert.Equal("A", watch.Seen[0].Resource!.Kind);
        Assert.Equal("B", live.Resource!.Kind);
    }

    [Fact]
    public async Task WatchAsync_DeletionFlow_ShowsMarkThenDeletedWithLastState()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync(Kind, "a", "{}");
        await using var watch = new WatchReader(ct => temp.Store.WatchAsync(Kind, ct));
        await watch.ReadUntilAsync(c => c.Type == ResourceChangeType.Synced);

        var marked = await temp.Store.RequestDeletionAsync(Kind, "a");
        await temp.Store.DeleteAsync(Kind, "a");
        var mark = await watch.NextAsync();
        var gone = await watch.NextAsync();

        Assert.Equal(ResourceChangeType.Modified, mark.Type);
        Assert.NotNull(mark.Resource!.DeletionRequestedAt);
        Assert.Equal(ResourceChangeType.Deleted, gone.Type);
        Assert.Equal(marked.ResourceVersion + 1, gone.ResourceVersion);
        Assert.Equal(marked with { ResourceVersion = gone.ResourceVersion }, gone.Resource);
    }

    [Fact]
    public async Task WatchAsync_ConcurrentWriters_DeliversEveryChangeOnceInOrder()
    {
        await using var temp = await TempStore.CreateAsync();
        for (var i = 0; i < 10; i++)
        {
            await temp.Store.CreateAsync(Kind, $"seed{i}", "{}");
        }
        await using var watch = new WatchReader(ct => temp.Store.WatchAsync(Kind, ct));
        var synced = (await watch.ReadUntilAsync(c => c.Type == ResourceChangeType.Synced))[^1];

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() => WriteMixAsync(temp.Store, w, 100))));
        var marker = await temp.Store.CreateAsync(Kind, "marker", "{}");
        var live = await watch.ReadUntilAsync(c => c.ResourceVersion == marker.ResourceVersion);

        // Every write in this test is of the watched kind, so the live stream must be exactly the next revisions.
        var expected = Enumerable.Range(1, (int)(marker.ResourceVersion - synced.ResourceVersion)).Select(i => synced.ResourceVersion + i);
        Assert.Equal(expected, live.Select(c => c.ResourceVersion));
        await WatchReader.AssertStateMatchesAsync(watch, temp.Store, Kind);
    }

    [Fact]
    public async Task WatchAsync_StartedWhileWritersRun_ConvergesToStoreState()
    {
        await using var temp = await TempStore.CreateAsync();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(() => WriteMixAsync(temp.Store, w, 150))).ToArray();
        await using var watch = new WatchReader(ct => temp.Store.WatchAsync(Kind, ct));

        var synced = (await watch.ReadUntilAsync(c => c.Type == ResourceChangeType.Synced))[^1];
        await Task.WhenAll(writers);
        var marker = await temp.Store.CreateAsync(Kind, "marker", "{}");
        var live = await watch.ReadUntilAsync(c => c.ResourceVersion == marker.ResourceVersion);

        var versions = live.Select(c => c.ResourceVersion).ToList();
        Assert.All(versions, v => Assert.True(v > synced.ResourceVersion));
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        Assert.Equal(marker.ResourceVersion - synced.ResourceVersion, versions.Count);
        await WatchReader.AssertStateMatchesAsync(watch, temp.Store, Kind);
    }

    [Fact]
    public async Task WatchAsync_ResumeAfterVersion_ReplaysLaterChangesThenSynced()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync(Kind, "a", "{}");
        var b = await temp.Store.CreateAsync(Kind, "b", "{}");
        var a2 = await temp.Store.UpsertSpecAsync(Kind, "a", """{"v":2}""", null);
        await temp.Store.DeleteAsync(Kind, "b");
        var c = await temp.Store.CreateAsync(Kind, "c", "{}");
        await using var watch = new WatchReader(ct => temp.Store.WatchAsync(Kind, b.ResourceVersion, ct));

        var replay = await watch.ReadUntilAsync(x => x.Type == ResourceChangeType.Synced);
        var d = await temp.Store.CreateAsync(Kind, "d", "{}");
        var live = await watch.NextAsync();

        Assert.Equal(
            [(ResourceChangeType.Modified, "a"), (ResourceChangeType.Deleted, "b"), (ResourceChangeType.Added, "c")],
            replay.Take(3).Select(x => (x.Type, x.Resource!.Name)));
        Assert.Equal(a2, replay[0].Resource);
        Assert.Equal(c.ResourceVersion, replay[3].ResourceVersion);
        Assert.Equal(d, live.Resource);
    }

    [Fact]
    public async Task WatchAsync_ResumeFromCompactedVersion_ThrowsExpired()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { ChangeLogRetainCount = 2, ChangeLogRetainAge = TimeSpan.Zero, CompactEveryWrites = 1 });
        for (var i = 0; i < 10; i++)
        {
            await temp.Store.UpsertSpecAsync(Kind, "a", $$"""{"v":{{i}}}""", null);
        }
        temp.Time.Advance(TimeSpan.FromSeconds(1));
        await temp.Store.UpsertSpecAsync(Kind, "a", """{"v":"last"}""", null);
        await using var watch = new WatchReader(ct => temp.Store.WatchAsync(Kind, 1, ct));

        var ex = await Assert.ThrowsAsync<ExpiredResourceVersionException>(watch.NextAsync);

        Assert.Equal(1, ex.Requested);
        Assert.True(ex.CompactedThrough > 1);
    }

    [Fact]
    public async Task WatchAsync_StoreDisposed_StreamEnds()
    {
        var temp = await TempStore.CreateAsync();
        await using var watch = new WatchReader(ct => temp.Store.WatchAsync(Kind, ct));
        await watch.ReadUntilAsync(c => c.Type == ResourceChangeType.Synced);

        await temp.DisposeAsync();

        Assert.True(await watch.EndedAsync());
    }

    /// <summary>Creates, updates spec and status, requests deletion and deletes, on names only this writer uses.</summary>
    internal static async Task WriteMixAsync(IResourceStore store, int writer, int operations)
    {
        for (var i = 0; i < operations; i++)
        {
            // Step 4 deletes the resource step 3 marked, so the next round can re-create it.
            var name = $"w{writer}-{(i % 5 == 4 ? 3 : i % 5)}";
            switch (i % 5)
            {
                case 0 or 1:
                    await store.UpsertSpecAsync(Kind, name, $$"""{"i":{{i}}}""", null);
                    break;
                case 2:
                    await store.UpsertSpecAsync(Kind, name, "{}", null);
                    await store.UpdateStatusAsync(Kind, name, $$"""{"i":{{i}}}""", 1);
                    break;
                case 3:
                    await store.UpsertSpecAsync(Kind, name, "{}", null);
                    await store.RequestDeletionAsync(Kind, name);
                    break;
                default:
                    await store.DeleteAsync(Kind, name);
                    break;
            }
        }
    }
}
