namespace Gantry.Store.Tests;

public sealed class EventTests
{
    private static NewEvent Event(string app, string name, string message) =>
        new("Replica", name, "Normal", "Started", message, App: app, Service: "web", Replica: name);

    [Fact]
    public async Task AppendEventAsync_Event_IsListedWithIdAndTime()
    {
        await using var temp = await TempStore.CreateAsync();

        var appended = await temp.Store.AppendEventAsync(Event("shop", "web-1", "started"));
        var listed = await temp.Store.ListEventsAsync(new EventQuery());

        Assert.Equal([appended], listed);
        Assert.Equal(temp.Time.GetUtcNow(), appended.Time);
        Assert.Equal(("shop", "web", "web-1"), (appended.App, appended.Service, appended.Replica));
    }

    [Fact]
    public async Task ListEventsAsync_Filters_ReturnOnlyMatchingOldestFirst()
    {
        await using var temp = await TempStore.CreateAsync();
        for (var i = 0; i < 5; i++)
        {
            await temp.Store.AppendEventAsync(Event("shop", $"web-{i % 2}", $"shop {i}"));
            await temp.Store.AppendEventAsync(Event("blog", "web-0", $"blog {i}"));
        }
        await temp.Store.AppendEventAsync(new NewEvent("Node", "n1", "Warning", "DiskPressure", "disk 95% full"));

        var shop = await temp.Store.ListEventsAsync(new EventQuery { App = "shop" });
        var web0 = await temp.Store.ListEventsAsync(new EventQuery { Kind = "Replica", Name = "web-0", App = "shop" });
        var node = await temp.Store.ListEventsAsync(new EventQuery { Kind = "Node" });
        var page = await temp.Store.ListEventsAsync(new EventQuery { App = "shop", AfterId = shop[1].Id, Limit = 2 });
        var tail = await temp.Store.ListEventsAsync(new EventQuery { App = "shop", Limit = 2, Newest = true });

        Assert.Equal(["shop 0", "shop 1", "shop 2", "shop 3", "shop 4"], shop.Select(e => e.Message));
        Assert.Equal(["shop 0", "shop 2", "shop 4"], web0.Select(e => e.Message));
        Assert.Equal("DiskPressure", Assert.Single(node).Reason);
        Assert.Equal(["shop 2", "shop 3"], page.Select(e => e.Message));
        Assert.Equal(["shop 3", "shop 4"], tail.Select(e => e.Message));
    }

    [Fact]
    public async Task AppendEventAsync_BeyondRetention_KeepsNewestPerApp()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { MaxEventsPerApp = 10 });
        for (var i = 0; i < 25; i++)
        {
            await temp.Store.AppendEventAsync(Event("shop", "web-1", $"shop {i}"));
        }
        for (var i = 0; i < 4; i++)
        {
            await temp.Store.AppendEventAsync(Event("blog", "web-1", $"blog {i}"));
        }

        var shop = await temp.Store.ListEventsAsync(new EventQuery { App = "shop" });
        var blog = await temp.Store.ListEventsAsync(new EventQuery { App = "blog" });

        Assert.Equal(Enumerable.Range(15, 10).Select(i => $"shop {i}"), shop.Select(e => e.Message));
        Assert.Equal(4, blog.Count);
    }

    [Fact]
    public async Task FollowEventsAsync_BacklogThenLive_DeliversEachMatchingEventOnce()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.AppendEventAsync(Event("shop", "web-1", "old 1"));
        await temp.Store.AppendEventAsync(Event("blog", "web-1", "other app"));
        await temp.Store.AppendEventAsync(Event("shop", "web-1", "old 2"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var follow = temp.Store.FollowEventsAsync(new EventQuery { App = "shop", Limit = 1 }, cts.Token).GetAsyncEnumerator(cts.Token);

        var seen = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await follow.MoveNextAsync());
            seen.Add(follow.Current.Message);
        }
        await temp.Store.AppendEventAsync(Event("blog", "web-1", "other app again"));
        await temp.Store.AppendEventAsync(Event("shop", "web-1", "new 1"));
        await temp.Store.AppendEventAsync(Event("shop", "web-1", "new 2"));
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await follow.MoveNextAsync());
            seen.Add(follow.Current.Message);
        }

        Assert.Equal(["old 1", "old 2", "new 1", "new 2"], seen);
    }

    [Fact]
    public async Task FollowEventsAsync_SlowFollowerOverflows_MissesNothing()
    {
        await using var temp = await TempStore.CreateAsync(o => o with { WatchBufferCapacity = 3 });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var follow = temp.Store.FollowEventsAsync(new EventQuery { App = "shop", Newest = true, Limit = 10 }, cts.Token).GetAsyncEnumerator(cts.Token);
        var first = await temp.Store.AppendEventAsync(Event("shop", "web-1", "0"));
        Assert.True(await follow.MoveNextAsync());

        for (var i = 1; i < 50; i++)
        {
            await temp.Store.AppendEventAsync(Event("shop", "web-1", $"{i}"));
        }
        var ids = new List<long> { follow.Current.Id };
        while (ids.Count < 50)
        {
            Assert.True(await follow.MoveNextAsync());
            ids.Add(follow.Current.Id);
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(i => first.Id + i), ids);
    }

    [Fact]
    public async Task FollowEventsAsync_LimitZero_SkipsBacklogAndGoesLive()
    {
        await using var temp = await TempStore.CreateAsync();
        var old = await temp.Store.AppendEventAsync(Event("shop", "web-1", "old"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var follow = temp.Store.FollowEventsAsync(new EventQuery { App = "shop", AfterId = old.Id, Limit = 0 }, cts.Token).GetAsyncEnumerator(cts.Token);
        var pending = follow.MoveNextAsync();

        await temp.Store.AppendEventAsync(Event("shop", "web-1", "new"));

        Assert.True(await pending);
        Assert.Equal("new", follow.Current.Message);
    }
}
