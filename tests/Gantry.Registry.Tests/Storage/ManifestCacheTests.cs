using Gantry.Registry.Storage;

namespace Gantry.Registry.Tests.Storage;

public sealed class ManifestCacheTests
{
    private static CachedManifest Entry(int size) => new("sha256:x", "m", new byte[size]);

    [Fact]
    public void Set_OverBudget_EvictsLeastRecentlyUsed()
    {
        var cache = new ManifestCache(4000);
        cache.Set("r@a", Entry(1000));
        cache.Set("r@b", Entry(1000));
        cache.Set("r@c", Entry(1000));
        Assert.True(cache.TryGet("r@a", out _)); // a is now more recent than b
        cache.Set("r@d", Entry(1000));
        cache.Set("r@e", Entry(1000));

        Assert.True(cache.Bytes <= 4000);
        Assert.False(cache.TryGet("r@b", out _));
        Assert.True(cache.TryGet("r@a", out _));
        Assert.True(cache.TryGet("r@e", out _));
    }

    [Fact]
    public void RemoveRepository_DropsOnlyThatRepository()
    {
        var cache = new ManifestCache(1 << 20);
        cache.Set("a/b@v1", Entry(10));
        cache.Set("a/b@v2", Entry(10));
        cache.Set("a/bc@v1", Entry(10));
        cache.RemoveRepository("a/b");
        Assert.False(cache.TryGet("a/b@v1", out _));
        Assert.True(cache.TryGet("a/bc@v1", out _));
        Assert.Equal(10, cache.Bytes);
    }

    [Fact]
    public void Set_EntryLargerThanQuarterOfBudget_IsNotCached()
    {
        var cache = new ManifestCache(1000);
        cache.Set("r@big", Entry(400));
        Assert.False(cache.TryGet("r@big", out _));
    }
}
