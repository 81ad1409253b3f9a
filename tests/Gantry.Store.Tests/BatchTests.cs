namespace Gantry.Store.Tests;

public sealed class BatchTests
{
    [Fact]
    public async Task CommitAsync_WritesEveryResourceAndEventTogether()
    {
        await using var temp = await TempStore.CreateAsync();
        var app = await temp.Store.CreateAsync("App", "shop", """{"release":1}""");
        await temp.Store.CreateAsync("Release", "shop.1", """{"number":1}""");

        var result = await temp.Store.CommitAsync(new StoreBatch()
            .Create("Release", "shop.2", """{"number":2}""")
            .UpsertSpec("App", "shop", """{"release":2}""", app.ResourceVersion)
            .UpdateStatus("Release", "shop.1", """{"phase":"RolledBack"}""", 1)
            .AppendEvent(new NewEvent("App", "shop", "Normal", "ReleaseCreated", "release 2", "shop")));

        Assert.Equal(["shop.2", "shop", "shop.1"], result.Resources.Select(r => r!.Name));
        Assert.Equal(2, (await temp.Store.GetAsync("App", "shop"))!.Generation);
        Assert.NotNull(await temp.Store.GetAsync("Release", "shop.2"));
        Assert.Equal("""{"phase":"RolledBack"}""", (await temp.Store.GetAsync("Release", "shop.1"))!.StatusJson);
        var events = await temp.Store.ListEventsAsync(new EventQuery { App = "shop" });
        Assert.Equal("release 2", Assert.Single(events).Message);
        // Each write takes its own resource version, in the batch's order.
        Assert.Equal(result.Resources.Select(r => r!.ResourceVersion).Order(), result.Resources.Select(r => r!.ResourceVersion));
    }

    [Fact]
    public async Task CommitAsync_StaleVersion_WritesNothing()
    {
        await using var temp = await TempStore.CreateAsync();
        var app = await temp.Store.CreateAsync("App", "shop", """{"release":1}""");
        await temp.Store.UpdateStatusAsync("App", "shop", """{"phase":"Running"}""", 1);

        await Assert.ThrowsAsync<ConcurrencyException>(() => temp.Store.CommitAsync(new StoreBatch()
            .Create("Release", "shop.2", """{"number":2}""")
            .UpsertSpec("App", "shop", """{"release":2}""", app.ResourceVersion)
            .AppendEvent(new NewEvent("App", "shop", "Normal", "ReleaseCreated", "release 2", "shop"))));

        Assert.Null(await temp.Store.GetAsync("Release", "shop.2"));
        Assert.Equal(1, (await temp.Store.GetAsync("App", "shop"))!.Generation);
        Assert.Empty(await temp.Store.ListEventsAsync(new EventQuery { App = "shop" }));
    }

    [Fact]
    public async Task CommitAsync_TakenName_WritesNothingAndKeepsTheRevision()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync("Release", "shop.2", "{}");
        var before = (await temp.Store.GetAsync("Release", "shop.2"))!.ResourceVersion;

        await Assert.ThrowsAsync<ConflictException>(() => temp.Store.CommitAsync(new StoreBatch()
            .UpsertSpec("App", "shop", """{"release":2}""", null)
            .Create("Release", "shop.2", "{}")));

        Assert.Null(await temp.Store.GetAsync("App", "shop"));
        // The aborted batch's revisions were rolled back with it: the next write takes the next number.
        var next = await temp.Store.CreateAsync("App", "other", "{}");
        Assert.Equal(before + 1, next.ResourceVersion);
    }

    [Fact]
    public async Task CommitAsync_WatchersSeeTheChangesInOrderAfterTheCommit()
    {
        await using var temp = await TempStore.CreateAsync();
        await using var watch = new WatchReader(ct => temp.Store.WatchAsync(null, ct));
        Assert.Equal(ResourceChangeType.Synced, (await watch.NextAsync()).Type);

        await temp.Store.CommitAsync(new StoreBatch()
            .Create("Release", "shop.1", "{}")
            .UpsertSpec("App", "shop", """{"release":1}""", 0));

        var first = await watch.NextAsync();
        var second = await watch.NextAsync();
        Assert.Equal(("Release", "shop.1"), (first.Resource!.Kind, first.Resource.Name));
        Assert.Equal(("App", "shop"), (second.Resource!.Kind, second.Resource.Name));
        Assert.True(second.ResourceVersion > first.ResourceVersion);
    }

    [Fact]
    public async Task CommitAsync_WriteThatChangesNothing_IsANoOp()
    {
        await using var temp = await TempStore.CreateAsync();
        var app = await temp.Store.CreateAsync("App", "shop", """{"release":1}""");

        var result = await temp.Store.CommitAsync(new StoreBatch().UpsertSpec("App", "shop", """{ "release": 1 }""", null));

        Assert.Equal(app.ResourceVersion, Assert.Single(result.Resources)!.ResourceVersion);
    }

    [Fact]
    public void Add_InvalidJson_IsRefusedBeforeAnythingIsWritten()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new StoreBatch().Create("App", "shop", "{not json"));
        Assert.Contains("shop", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommitAsync_Deletes_RemovedTogetherAndMissingOnesAreNull()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync("Release", "shop.1", "{}");
        await temp.Store.CreateAsync("App", "shop", "{}");

        var result = await temp.Store.CommitAsync(new StoreBatch().Delete("Release", "shop.1").Delete("Release", "shop.9").Delete("App", "shop"));

        Assert.Equal(["shop.1", null, "shop"], result.Resources.Select(r => r?.Name));
        Assert.Null(await temp.Store.GetAsync("Release", "shop.1"));
        Assert.Null(await temp.Store.GetAsync("App", "shop"));
    }
}
