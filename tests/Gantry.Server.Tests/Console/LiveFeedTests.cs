using Gantry.Console.Live;

namespace Gantry.Server.Tests.Console;

/// <summary>The live pages' feed: a follower hears the changes its filter accepts, a burst coalesces, a missed change is told at once.</summary>
public sealed class LiveFeedTests
{
    [Fact]
    public async Task FollowAsync_BurstWhileTheFollowerIsBusy_IsOneNoticeWithTheNewestVersion()
    {
        var feed = new LiveFeed<string?>("registry");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var notices = feed.FollowAsync(since: null, repository => repository == "a/web", stop.Token).GetAsyncEnumerator(stop.Token);
        var first = notices.MoveNextAsync();

        feed.Publish("b/other");
        feed.Publish("a/web");
        Assert.True(await first);
        Assert.Equal(new LiveChange("registry", 2), notices.Current);

        // Three changes before the follower asks again: one notice, the newest; another repository's change: none.
        feed.Publish("a/web");
        feed.Publish("a/web");
        feed.Publish("a/web");
        feed.Publish("b/other");
        Assert.True(await notices.MoveNextAsync());
        Assert.Equal(6, feed.Version);
        Assert.Equal(5, notices.Current.Version);
        var next = notices.MoveNextAsync();
        await Task.Delay(50, stop.Token);
        Assert.False(next.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact]
    public async Task FollowAsync_SinceAnOlderVersion_TellsAtOnceAndSinceTheCurrentOneWaits()
    {
        var feed = new LiveFeed<bool>("apps");
        feed.Publish(true);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await using (var missed = feed.FollowAsync(since: 0, _ => true, stop.Token).GetAsyncEnumerator(stop.Token))
        {
            Assert.True(await missed.MoveNextAsync());
            Assert.Equal(1, missed.Current.Version);
        }

        await using var current = feed.FollowAsync(since: 1, _ => true, stop.Token).GetAsyncEnumerator(stop.Token);
        var waiting = current.MoveNextAsync();
        await Task.Delay(50, stop.Token);
        Assert.False(waiting.IsCompleted);
        feed.Publish(true);
        Assert.True(await waiting);
        Assert.Equal(2, current.Current.Version);
    }
}
