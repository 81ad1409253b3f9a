namespace Gantry.Store.Tests;

public sealed class ResourceCrudTests
{
    [Fact]
    public async Task CreateAsync_NewResource_IsReadableWithMetadata()
    {
        await using var temp = await TempStore.CreateAsync();
        var store = temp.Store;

        var created = await store.CreateAsync("App", "shop", """{"image":"shop:1"}""");
        var read = await store.GetAsync("App", "shop");

        Assert.Equal(created, read);
        Assert.Equal(1, created.Generation);
        Assert.Equal(1, created.ResourceVersion);
        Assert.Equal(0, created.ObservedGeneration);
        Assert.Null(created.StatusJson);
        Assert.Null(created.DeletionRequestedAt);
        Assert.Equal(temp.Time.GetUtcNow(), created.CreatedAt);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.False(string.IsNullOrEmpty(created.Uid));
    }

    [Fact]
    public async Task CreateAsync_Existing_ThrowsConflict()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync("App", "shop", "{}");

        var ex = await Assert.ThrowsAsync<ConflictException>(() => temp.Store.CreateAsync("App", "shop", "{}"));

        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
        Assert.Equal("shop", ex.Name);
    }

    [Fact]
    public async Task CreateAsync_InvalidJson_ThrowsNamingTheResource()
    {
        await using var temp = await TempStore.CreateAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.CreateAsync("App", "shop", "{not json"));

        Assert.Contains("App 'shop'", ex.Message, StringComparison.Ordinal);
        Assert.Null(await temp.Store.GetAsync("App", "shop"));
    }

    [Fact]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        await using var temp = await TempStore.CreateAsync();

        Assert.Null(await temp.Store.GetAsync("App", "nope"));
    }

    [Fact]
    public async Task ListAsync_SeveralKinds_ReturnsOnlyTheKindByName()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync("App", "b", "{}");
        await temp.Store.CreateAsync("App", "a", "{}");
        await temp.Store.CreateAsync("Route", "a", "{}");

        var apps = await temp.Store.ListAsync("App");

        Assert.Equal(["a", "b"], apps.Select(r => r.Name));
        Assert.All(apps, r => Assert.Equal("App", r.Kind));
    }

    [Fact]
    public async Task DeleteAsync_Existing_RemovesAndReturnsTrue()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync("App", "shop", "{}");

        Assert.True(await temp.Store.DeleteAsync("App", "shop"));
        Assert.Null(await temp.Store.GetAsync("App", "shop"));
        Assert.False(await temp.Store.DeleteAsync("App", "shop"));
    }

    [Fact]
    public async Task UpdateStatusAsync_Missing_ThrowsNotFound()
    {
        await using var temp = await TempStore.CreateAsync();

        await Assert.ThrowsAsync<NotFoundException>(() => temp.Store.UpdateStatusAsync("App", "nope", "{}", 1));
    }

    [Fact]
    public async Task SetSettingAsync_Twice_KeepsLastValue()
    {
        await using var temp = await TempStore.CreateAsync();

        Assert.Null(await temp.Store.GetSettingAsync("token"));
        await temp.Store.SetSettingAsync("token", "hash-1");
        await temp.Store.SetSettingAsync("token", "hash-2");

        Assert.Equal("hash-2", await temp.Store.GetSettingAsync("token"));
    }
}
