using Gantry.Router.Forwarder;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Router.Tests.Forwarder;

public class TimeoutBucketsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void Token_NotCancelledBeforeItsTimeout_CancelledWithinOneSlotAfter()
    {
        var time = new FakeTimeProvider();
        var buckets = new TimeoutBuckets(time);
        var token = buckets.TokenFor(Timeout);

        time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(token.IsCancellationRequested);
        time.Advance(TimeoutBuckets.Slot + TimeSpan.FromMilliseconds(1));
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public void Requests_DueInTheSameSlot_ShareOneToken_TheNextSlotGetsItsOwn()
    {
        var time = new FakeTimeProvider();
        var buckets = new TimeoutBuckets(time);
        var first = buckets.TokenFor(Timeout);
        time.Advance(TimeSpan.FromMilliseconds(10));
        var second = buckets.TokenFor(Timeout);
        Assert.Equal(first, second);

        time.Advance(TimeoutBuckets.Slot);
        var third = buckets.TokenFor(Timeout);
        Assert.NotEqual(first, third);
        Assert.Equal(2, buckets.Live);
    }

    [Fact]
    public void Requests_WithTwoTimeouts_EachKeepTheirOwnDeadline()
    {
        var time = new FakeTimeProvider();
        var buckets = new TimeoutBuckets(time);
        var quick = buckets.TokenFor(TimeSpan.FromSeconds(1));
        var slow = buckets.TokenFor(TimeSpan.FromSeconds(30));
        Assert.Equal(quick, buckets.TokenFor(TimeSpan.FromSeconds(1)));

        time.Advance(TimeSpan.FromSeconds(1.2));
        Assert.True(quick.IsCancellationRequested);
        Assert.False(slow.IsCancellationRequested);
    }

    [Fact]
    public void Slots_OnceFired_AreDroppedByTheNextRequest()
    {
        var time = new FakeTimeProvider();
        var buckets = new TimeoutBuckets(time);
        for (var i = 0; i < 20; i++)
        {
            buckets.TokenFor(Timeout);
            time.Advance(TimeoutBuckets.Slot);
        }

        time.Advance(Timeout + TimeoutBuckets.Slot);
        var token = buckets.TokenFor(Timeout);
        Assert.Equal(1, buckets.Live);
        Assert.False(token.IsCancellationRequested);
    }

    [Fact]
    public void InfiniteTimeout_NeverCancelled()
    {
        var buckets = new TimeoutBuckets(new FakeTimeProvider());
        Assert.False(buckets.TokenFor(System.Threading.Timeout.InfiniteTimeSpan).CanBeCanceled);
    }
}
