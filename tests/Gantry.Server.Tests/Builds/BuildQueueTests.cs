using Gantry.Server.Builds;

namespace Gantry.Server.Tests.Builds;

public sealed class BuildQueueTests
{
    [Fact]
    public async Task EnterAsync_BeyondTheSlots_WaitsInOrderWithPositionsThatMove()
    {
        var queue = new BuildQueue(1);
        var first = await queue.EnterAsync("a", null, default);
        var heardB = new List<int>();
        var heardC = new List<int>();

        var b = queue.EnterAsync("b", p => heardB.Add(p), default);
        var c = queue.EnterAsync("c", p => heardC.Add(p), default);

        Assert.False(b.IsCompleted);
        Assert.Equal(1, queue.PositionOf("b"));
        Assert.Equal(2, queue.PositionOf("c"));
        Assert.Null(queue.PositionOf("a"));
        first.Dispose();
        var second = await b;
        Assert.False(c.IsCompleted);
        Assert.Equal(1, queue.PositionOf("c"));
        Assert.Equal([1], heardB);
        Assert.Equal([2, 1], heardC);
        second.Dispose();
        (await c).Dispose();
        Assert.Equal(0, queue.Running);
    }

    [Fact]
    public async Task EnterAsync_Cancelled_LeavesTheQueueAndThoseBehindMoveUp()
    {
        var queue = new BuildQueue(1);
        using var held = await queue.EnterAsync("a", null, default);
        using var cancel = new CancellationTokenSource();
        var heardC = new List<int>();
        var b = queue.EnterAsync("b", null, cancel.Token);
        var c = queue.EnterAsync("c", p => heardC.Add(p), default);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        Assert.Equal(1, queue.PositionOf("c"));
        Assert.Equal([2, 1], heardC);
        held.Dispose();
        (await c).Dispose();
    }

    [Fact]
    public async Task EnterAsync_TwoSlots_RunsTwoAtOnce_AndASlotDisposedTwiceFreesOnce()
    {
        var queue = new BuildQueue(2);
        var a = await queue.EnterAsync("a", null, default);
        var b = await queue.EnterAsync("b", null, default);
        var c = queue.EnterAsync("c", null, default);
        var d = queue.EnterAsync("d", null, default);

        a.Dispose();
        a.Dispose();

        var third = await c;
        Assert.Equal(2, queue.Running);
        Assert.Equal(1, queue.PositionOf("d"));
        third.Dispose();
        (await d).Dispose();
        b.Dispose();
        Assert.Equal(0, queue.Running);
    }
}
