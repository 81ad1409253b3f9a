using Gantry.Controllers.Runtime;

namespace Gantry.Controllers.Tests.Runtime;

public class WorkQueueTests
{
    [Fact]
    public async Task Add_SameKeyTwice_QueuesItOnce()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal("b", await queue.TakeAsync(CancellationToken.None));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.TakeAsync(cts.Token));
    }

    [Fact]
    public async Task Add_WhileProcessing_IsProcessedAgainAfterDone()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.Add("a");
        var key = await queue.TakeAsync(CancellationToken.None);

        queue.Add("a");
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
        {
            // Not handed out while it is being processed: no two workers on one app.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.TakeAsync(cts.Token));
        }
        queue.Done(key);

        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AddAfter_Delay_AddsWhenTheTimerFires()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);

        queue.AddAfter("a", TimeSpan.FromMilliseconds(50));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal("a", await queue.TakeAsync(cts.Token));
    }
}

public class WorkQueueDelayTests
{
    [Fact]
    public async Task AddAfter_SoonerDelayWhileLaterIsPending_FiresAtTheSoonerOne()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);

        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        queue.AddAfter("a", TimeSpan.FromMilliseconds(500));
        time.Advance(TimeSpan.FromMilliseconds(500));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal("a", await queue.TakeAsync(cts.Token));
        Assert.Null(queue.PendingDelay("a"));
    }

    [Fact]
    public async Task AddAfter_LaterDelayWhileSoonerIsPending_KeepsTheSoonerOne()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var queue = new WorkQueue<string>(time);

        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(1), queue.PendingDelay("a"));
        time.Advance(TimeSpan.FromSeconds(1));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal("a", await queue.TakeAsync(cts.Token));
        time.Advance(TimeSpan.FromSeconds(60));
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        queue.Done("a");
        // The replaced 30 s add never fires: one wake, not two.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.TakeAsync(quiet.Token));
    }
}
