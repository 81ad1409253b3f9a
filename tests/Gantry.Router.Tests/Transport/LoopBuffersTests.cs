using Gantry.Router.Transport;

namespace Gantry.Router.Tests.Transport;

/// <summary>The loops' buffer stacks: what a loop returns it rents again, keeps from other threads, and sizes as the shared pool.</summary>
public sealed class LoopBuffersTests
{
    [Fact]
    public async Task OnALoop_TheBufferReturnedIsTheNextRentOfItsSize()
    {
        var (first, second, other, onLoop) = await OnALoopAsync(() =>
        {
            var a = LoopBuffers.Rent(1000);
            LoopBuffers.Return(a);
            var b = LoopBuffers.Rent(1024);
            var c = LoopBuffers.Rent(4096);
            LoopBuffers.Return(b);
            LoopBuffers.Return(c);
            return (a, b, c, EventLoop.OnThisThread is not null);
        });

        Assert.True(onLoop);
        Assert.Same(first, second);
        Assert.Equal(1024, first.Length);
        Assert.Equal(4096, other.Length);
    }

    [Fact]
    public async Task OnALoop_ManyInFlight_AllComeBackForTheNextRound()
    {
        var (firstRound, secondRound) = await OnALoopAsync(() =>
        {
            var first = Enumerable.Range(0, LoopBuffers.Depth).Select(_ => LoopBuffers.Rent(8192)).ToArray();
            foreach (var buffer in first)
            {
                LoopBuffers.Return(buffer);
            }

            var second = Enumerable.Range(0, LoopBuffers.Depth).Select(_ => LoopBuffers.Rent(8192)).ToArray();
            foreach (var buffer in second)
            {
                LoopBuffers.Return(buffer);
            }

            return (first, second);
        });

        Assert.Equal(LoopBuffers.Depth, firstRound.Distinct().Count());
        Assert.Equal(firstRound.ToHashSet(), secondRound.ToHashSet());
    }

    [Fact]
    public async Task BuffersKeptByALoop_AreNotHandedToOtherThreads()
    {
        var kept = await OnALoopAsync(() =>
        {
            var rented = Enumerable.Range(0, 32).Select(_ => LoopBuffers.Rent(8192)).ToArray();
            foreach (var buffer in rented)
            {
                LoopBuffers.Return(buffer);
            }

            return rented.ToHashSet();
        });

        // This thread is not a loop: it rents from the shared pool, which would have had these had the loop given them back there.
        var elsewhere = Enumerable.Range(0, 32).Select(_ => LoopBuffers.Rent(8192)).ToArray();
        Assert.DoesNotContain(elsewhere, kept.Contains);
        foreach (var buffer in elsewhere)
        {
            LoopBuffers.Return(buffer);
        }
    }

    [Theory]
    [InlineData(1, 1024)]
    [InlineData(1024, 1024)]
    [InlineData(1025, 2048)]
    [InlineData(16384, 16384)]
    public void Rent_SizedAsTheSharedPoolSizesThem(int asked, int length)
    {
        var buffer = LoopBuffers.Rent(asked);
        Assert.Equal(length, buffer.Length);
        LoopBuffers.Return(buffer);
    }

    [Fact]
    public void Rent_LargerThanTheLoopsKeep_ComesFromTheSharedPool()
    {
        var buffer = LoopBuffers.Rent(40_000);
        Assert.True(buffer.Length >= 40_000);
        LoopBuffers.Return(buffer);
    }

    /// <summary>Runs <paramref name="work"/> on an event loop's thread: as the continuation of a receive the loop completes.</summary>
    private static async Task<T> OnALoopAsync<T>(Func<T> work)
    {
        using var pair = await LoopSocketTests.PairAsync();
        var running = ReceiveThenAsync(pair.Socket, work);
        pair.Peer.Send([1]);
        return await running.WaitAsync(LoopSocketTests.Patience);
    }

    private static async Task<T> ReceiveThenAsync<T>(LoopSocket socket, Func<T> work)
    {
        await socket.ReceiveAsync(new byte[1]).ConfigureAwait(false);
        return work();
    }
}
