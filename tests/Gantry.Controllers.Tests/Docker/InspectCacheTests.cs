using Gantry.Controllers.Docker;
using Gantry.Controllers.Engine;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Controllers.Tests.Docker;

public class InspectCacheTests
{
    private static readonly ObservedContainer Healthy = new("c1", "shop-web-1") { State = "running", Health = "healthy" };

    private static InspectCache Live(FakeTimeProvider time)
    {
        var cache = new InspectCache(time);
        cache.WatchStarted();
        return cache;
    }

    [Fact]
    public void TryGet_UnchangedListing_ReturnsTheLastInspection()
    {
        var cache = Live(new FakeTimeProvider());
        cache.Store("c1", Healthy, cache.StampOf("c1"));

        Assert.Same(Healthy, cache.TryGet("c1", "running", "Up 3 minutes (healthy)"));
    }

    [Theory]
    [InlineData("exited", "Exited (1) 2 seconds ago")]
    [InlineData("running", "Up 3 minutes (unhealthy)")]
    public void TryGet_ListingDisagrees_Misses(string state, string status)
    {
        var cache = Live(new FakeTimeProvider());
        cache.Store("c1", Healthy, cache.StampOf("c1"));

        Assert.Null(cache.TryGet("c1", state, status));
    }

    [Fact]
    public void Store_EventArrivedDuringTheInspection_IsNotKept()
    {
        var cache = Live(new FakeTimeProvider());
        var stamp = cache.StampOf("c1");
        cache.Invalidate("c1", destroyed: false);
        cache.Store("c1", Healthy, stamp);

        Assert.Null(cache.TryGet("c1", "running", "Up 3 minutes (healthy)"));
    }

    [Fact]
    public void TryGet_OlderThanMaxAgeOrNoEventStream_Misses()
    {
        var time = new FakeTimeProvider();
        var cache = Live(time);
        cache.Store("c1", Healthy, cache.StampOf("c1"));
        time.Advance(InspectCache.MaxAge);
        Assert.Null(cache.TryGet("c1", "running", "Up (healthy)"));

        cache.Store("c1", Healthy, cache.StampOf("c1"));
        cache.WatchEnded();
        Assert.Null(cache.TryGet("c1", "running", "Up (healthy)"));
    }
}
