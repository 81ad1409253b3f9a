namespace Gantry.Store.Tests;

public sealed class RevisionTests
{
    [Fact]
    public async Task UpsertSpecAsync_ChangedSpec_BumpsGenerationAndVersion()
    {
        await using var temp = await TempStore.CreateAsync();
        var v1 = await temp.Store.UpsertSpecAsync("App", "shop", """{"replicas":1}""", null);
        temp.Time.Advance(TimeSpan.FromSeconds(5));

        var v2 = await temp.Store.UpsertSpecAsync("App", "shop", """{"replicas":2}""", null);

        Assert.Equal(1, v1.Generation);
        Assert.Equal(2, v2.Generation);
        Assert.True(v2.ResourceVersion > v1.ResourceVersion);
        Assert.Equal(v1.Uid, v2.Uid);
        Assert.Equal(v1.CreatedAt, v2.CreatedAt);
        Assert.Equal(v1.UpdatedAt + TimeSpan.FromSeconds(5), v2.UpdatedAt);
    }

    [Fact]
    public async Task UpsertSpecAsync_SameDocumentDifferentFormatting_IsANoOp()
    {
        await using var temp = await TempStore.CreateAsync();
        var v1 = await temp.Store.UpsertSpecAsync("App", "shop", """{"replicas":1,"image":"a"}""", null);

        var v2 = await temp.Store.UpsertSpecAsync("App", "shop", """{ "image": "a", "replicas": 1 }""", null);

        Assert.Equal(v1, v2);
        Assert.Equal(v1, await temp.Store.GetAsync("App", "shop"));
    }

    [Fact]
    public async Task UpdateStatusAsync_NewStatus_BumpsVersionNotGeneration()
    {
        await using var temp = await TempStore.CreateAsync();
        var spec = await temp.Store.CreateAsync("App", "shop", "{}");

        var status = await temp.Store.UpdateStatusAsync("App", "shop", """{"ready":1}""", spec.Generation);

        Assert.Equal(spec.Generation, status.Generation);
        Assert.Equal(spec.ResourceVersion + 1, status.ResourceVersion);
        Assert.Equal(1, status.ObservedGeneration);
        Assert.Equal("""{"ready":1}""", status.StatusJson);
        Assert.Equal(spec.SpecJson, status.SpecJson);
    }

    [Fact]
    public async Task UpdateStatusAsync_SameStatusAndGeneration_IsANoOp()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync("App", "shop", "{}");
        var first = await temp.Store.UpdateStatusAsync("App", "shop", """{"ready":1}""", 1);

        var second = await temp.Store.UpdateStatusAsync("App", "shop", """{"ready":1}""", 1);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ResourceVersion_AcrossResources_IsStoreWideAndIncreasing()
    {
        await using var temp = await TempStore.CreateAsync();

        var a = await temp.Store.CreateAsync("App", "a", "{}");
        var b = await temp.Store.CreateAsync("Route", "b", "{}");
        var a2 = await temp.Store.UpdateStatusAsync("App", "a", "{}", 1);

        Assert.Equal([1L, 2L, 3L], new[] { a.ResourceVersion, b.ResourceVersion, a2.ResourceVersion });
    }

    [Fact]
    public async Task UpsertSpecAsync_StaleExpectedVersion_ThrowsConcurrencyAndKeepsState()
    {
        await using var temp = await TempStore.CreateAsync();
        var v1 = await temp.Store.CreateAsync("App", "shop", """{"replicas":1}""");
        await temp.Store.UpsertSpecAsync("App", "shop", """{"replicas":2}""", v1.ResourceVersion);

        var ex = await Assert.ThrowsAsync<ConcurrencyException>(
            () => temp.Store.UpsertSpecAsync("App", "shop", """{"replicas":3}""", v1.ResourceVersion));

        Assert.Equal(v1.ResourceVersion, ex.Expected);
        Assert.Equal(v1.ResourceVersion + 1, ex.Actual);
        Assert.Equal("""{"replicas":2}""", (await temp.Store.GetAsync("App", "shop"))!.SpecJson);
    }

    [Fact]
    public async Task UpsertSpecAsync_ExpectedZero_CreatesOnlyWhenMissing()
    {
        await using var temp = await TempStore.CreateAsync();

        var created = await temp.Store.UpsertSpecAsync("App", "shop", "{}", 0);
        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => temp.Store.UpsertSpecAsync("App", "shop", """{"x":1}""", 0));

        Assert.Equal(1, created.Generation);
        Assert.Equal(created.ResourceVersion, ex.Actual);
    }

    [Fact]
    public async Task UpsertSpecAsync_ExpectedVersionOfMissingResource_ThrowsConcurrency()
    {
        await using var temp = await TempStore.CreateAsync();

        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => temp.Store.UpsertSpecAsync("App", "shop", "{}", 7));

        Assert.Null(ex.Actual);
    }

    [Fact]
    public async Task UpdateStatusAsync_StaleExpectedVersion_ThrowsConcurrency()
    {
        await using var temp = await TempStore.CreateAsync();
        var v1 = await temp.Store.CreateAsync("App", "shop", "{}");
        await temp.Store.UpsertSpecAsync("App", "shop", """{"x":1}""", null);

        await Assert.ThrowsAsync<ConcurrencyException>(
            () => temp.Store.UpdateStatusAsync("App", "shop", "{}", 1, v1.ResourceVersion));
    }

    [Fact]
    public async Task DeleteAsync_StaleExpectedVersion_ThrowsConcurrencyAndKeepsResource()
    {
        await using var temp = await TempStore.CreateAsync();
        var v1 = await temp.Store.CreateAsync("App", "shop", "{}");
        await temp.Store.UpdateStatusAsync("App", "shop", "{}", 1);

        await Assert.ThrowsAsync<ConcurrencyException>(() => temp.Store.DeleteAsync("App", "shop", v1.ResourceVersion));

        Assert.NotNull(await temp.Store.GetAsync("App", "shop"));
    }

    [Fact]
    public async Task UpsertSpecAsync_ConcurrentWritersWithExpectedVersion_ExactlyOneWinsEachRound()
    {
        await using var temp = await TempStore.CreateAsync();
        var current = await temp.Store.CreateAsync("Counter", "c", """{"n":0}""");

        for (var round = 1; round <= 10; round++)
        {
            var expected = current.ResourceVersion;
            var attempts = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                try
                {
                    return await temp.Store.UpsertSpecAsync("Counter", "c", $$"""{"n":{{round}},"w":{{w}}}""", expected);
                }
                catch (ConcurrencyException)
                {
                    return null;
                }
            })).ToArray();
            var results = await Task.WhenAll(attempts);

            Assert.Single(results, r => r is not null);
            current = results.Single(r => r is not null)!;
        }
        Assert.Equal(11, current.Generation);
    }
}
