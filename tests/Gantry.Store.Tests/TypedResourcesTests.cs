using System.Text.Json.Serialization;
using Gantry.Store.Typed;

namespace Gantry.Store.Tests;

public sealed class TypedResourcesTests
{
    private static TypedResources<TestSpec, TestStatus> Apps(IResourceStore store) =>
        new(store, "App", TestJsonContext.Default.TestSpec, TestJsonContext.Default.TestStatus);

    [Fact]
    public async Task UpsertAsync_ThenGet_RoundTripsSpecAndStatus()
    {
        await using var temp = await TempStore.CreateAsync();
        var apps = Apps(temp.Store);
        var spec = new TestSpec("shop:1", 3, new Dictionary<string, string> { ["MODE"] = "prod" });

        var created = await apps.UpsertAsync("shop", spec);
        var withStatus = await apps.UpdateStatusAsync("shop", new TestStatus(2, "Progressing"), created.Generation);
        var read = await apps.GetAsync("shop");

        Assert.NotNull(read);
        Assert.Equal("shop:1", read.Spec.Image);
        Assert.Equal(3, read.Spec.Replicas);
        Assert.Equal("prod", read.Spec.Env["MODE"]);
        Assert.Equal(new TestStatus(2, "Progressing"), read.Status);
        Assert.Equal(withStatus.ResourceVersion, read.ResourceVersion);
        Assert.Equal(1, read.ObservedGeneration);
        Assert.Null(created.Status);
        Assert.Contains("\"replicas\":3", read.Meta.SpecJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertAsync_EqualSpec_KeepsGeneration()
    {
        await using var temp = await TempStore.CreateAsync();
        var apps = Apps(temp.Store);
        var env = new Dictionary<string, string> { ["A"] = "1" };

        var first = await apps.UpsertAsync("shop", new TestSpec("shop:1", 1, env));
        var same = await apps.UpsertAsync("shop", new TestSpec("shop:1", 1, new Dictionary<string, string>(env)));
        var changed = await apps.UpsertAsync("shop", new TestSpec("shop:2", 1, env));

        Assert.Equal(first.ResourceVersion, same.ResourceVersion);
        Assert.Equal(2, changed.Generation);
        Assert.Equal(["shop"], (await apps.ListAsync()).Select(a => a.Name));
    }

    [Fact]
    public async Task WatchAsync_TypedChanges_AreDeserialized()
    {
        await using var temp = await TempStore.CreateAsync();
        var apps = Apps(temp.Store);
        await apps.CreateAsync("shop", new TestSpec("shop:1", 1, []));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var watch = apps.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await watch.MoveNextAsync());
        var added = watch.Current;
        Assert.True(await watch.MoveNextAsync());
        var synced = watch.Current;
        await apps.UpdateStatusAsync("shop", new TestStatus(1, "Running"), 1);
        Assert.True(await watch.MoveNextAsync());

        Assert.Equal("shop:1", added.Resource!.Spec.Image);
        Assert.Equal(ResourceChangeType.Synced, synced.Type);
        Assert.Equal("Running", watch.Current.Resource!.Status!.Phase);
    }

    [Fact]
    public async Task GetAsync_DocumentNotMatchingType_ThrowsNamingTheResource()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.CreateAsync("App", "shop", """{"replicas":"three"}""");

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => Apps(temp.Store).GetAsync("shop"));

        Assert.Contains("App 'shop'", ex.Message, StringComparison.Ordinal);
    }
}

public sealed record TestSpec(string Image, int Replicas, Dictionary<string, string> Env);

public sealed record TestStatus(int Ready, string Phase);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TestSpec))]
[JsonSerializable(typeof(TestStatus))]
public sealed partial class TestJsonContext : JsonSerializerContext;
