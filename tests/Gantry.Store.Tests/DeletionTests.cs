namespace Gantry.Store.Tests;

public sealed class DeletionTests
{
    [Fact]
    public async Task RequestDeletionAsync_Existing_MarksAndBumpsVersion()
    {
        await using var temp = await TempStore.CreateAsync();
        var created = await temp.Store.CreateAsync("App", "shop", "{}");
        temp.Time.Advance(TimeSpan.FromMinutes(1));

        var marked = await temp.Store.RequestDeletionAsync("App", "shop");

        Assert.Equal(temp.Time.GetUtcNow(), marked.DeletionRequestedAt);
        Assert.True(marked.IsBeingDeleted);
        Assert.Equal(created.ResourceVersion + 1, marked.ResourceVersion);
        Assert.Equal(created.Generation, marked.Generation);
    }

    [Fact]
    public async Task RequestDeletionAsync_Twice_IsIdempotent()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync("App", "shop", "{}");
        var first = await temp.Store.RequestDeletionAsync("App", "shop");
        temp.Time.Advance(TimeSpan.FromMinutes(1));

        var second = await temp.Store.RequestDeletionAsync("App", "shop");

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task RequestDeletionAsync_Missing_ThrowsNotFound()
    {
        await using var temp = await TempStore.CreateAsync();

        await Assert.ThrowsAsync<NotFoundException>(() => temp.Store.RequestDeletionAsync("App", "nope"));
    }

    [Fact]
    public async Task DeletionFlow_WhileBeingDeleted_RefusesSpecWritesButAcceptsStatusThenDeletes()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync("App", "shop", "{}");
        var marked = await temp.Store.RequestDeletionAsync("App", "shop");

        var create = await Assert.ThrowsAsync<ConflictException>(() => temp.Store.CreateAsync("App", "shop", "{}"));
        var upsert = await Assert.ThrowsAsync<ConflictException>(() => temp.Store.UpsertSpecAsync("App", "shop", """{"x":1}""", null));
        var status = await temp.Store.UpdateStatusAsync("App", "shop", """{"phase":"Terminating"}""", marked.Generation);
        var deleted = await temp.Store.DeleteAsync("App", "shop", status.ResourceVersion);
        var recreated = await temp.Store.CreateAsync("App", "shop", "{}");

        Assert.Contains("being deleted", create.Message, StringComparison.Ordinal);
        Assert.Contains("being deleted", upsert.Message, StringComparison.Ordinal);
        Assert.Equal(marked.DeletionRequestedAt, status.DeletionRequestedAt);
        Assert.True(deleted);
        Assert.NotEqual(marked.Uid, recreated.Uid);
        Assert.Equal(1, recreated.Generation);
        Assert.Null(recreated.DeletionRequestedAt);
    }
}
