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
