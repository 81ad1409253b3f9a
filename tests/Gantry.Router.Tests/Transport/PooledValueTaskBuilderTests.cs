using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Gantry.Router.Transport;

namespace Gantry.Router.Tests.Transport;

public class PooledValueTaskBuilderTests
{
    private static readonly AsyncLocal<string?> Marker = new();

    [Fact]
    public void Frame_ThatWaits_GetsItsResultAndReusesItsBox()
    {
        var signal = new Signal();
        for (var i = 0; i < 100; i++)
        {
            var frame = AddOneAsync(signal);
            Assert.False(frame.IsCompleted);
            signal.Complete(i);
            Assert.Equal(i + 1, Read(frame));
        }

        // No assertion inside the measured loop: xUnit's Assert.Equal allocates a comparer.
        var sum = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            var frame = AddOneAsync(signal);
            signal.Complete(i);
            sum += Read(frame);
        }

        // An ordinary async ValueTask allocates a box of a few hundred bytes for each of these 1,000 frames.
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000 * 1001 / 2, sum);
    }

    [Fact]
    public void Frames_StartedOnOneThreadAndFinishedOnAnother_ReuseTheBoxesTheOtherGaveBack()
    {
        // As a request that waited on another loop's socket: the box is taken on one thread and given back on the other.
        var signals = Enumerable.Range(0, 200).Select(_ => new Signal()).ToArray();
        var frames = new ValueTask<int>[signals.Length];
        var allocated = new long[5];
        var sum = 0L;
        using var started = new SemaphoreSlim(0);
        using var finished = new SemaphoreSlim(0);
        var starter = new Thread(() =>
        {
            for (var round = 0; round < allocated.Length; round++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < signals.Length; i++)
                {
                    frames[i] = AddOneAsync(signals[i]);
                }

                allocated[round] = GC.GetAllocatedBytesForCurrentThread() - before;
                started.Release();
                finished.Wait();
            }
        });
        var finisher = new Thread(() =>
        {
            for (var round = 0; round < allocated.Length; round++)
            {
                started.Wait();
                for (var i = 0; i < signals.Length; i++)
                {
                    signals[i].Complete(i);
                    sum += Read(frames[i]);
                }

                finished.Release();
            }
        });
        starter.Start();
        finisher.Start();
        Assert.True(starter.Join(TimeSpan.FromSeconds(30)) && finisher.Join(TimeSpan.FromSeconds(30)));

        Assert.Equal(allocated.Length * (signals.Length * (signals.Length + 1) / 2), sum);
        Assert.True(allocated[0] > 0);
        Assert.Equal(0, allocated[^1]);
    }

    [Fact]
    public void Frames_WaitingAtOnce_EachGetTheirOwnResult()
    {
        var signals = Enumerable.Range(0, 300).Select(_ => new Signal()).ToArray();
        for (var round = 0; round < 3; round++)
        {
            var frames = signals.Select(signal => AddOneAsync(signal)).ToArray();
            for (var i = signals.Length - 1; i >= 0; i--)
            {
                signals[i].Complete((round * 1000) + i);
            }

            for (var i = 0; i < frames.Length; i++)
            {
                Assert.Equal((round * 1000) + i + 1, Read(frames[i]));
            }
        }
    }

    [Fact]
    public void Frame_CompletingWithoutWaiting_AllocatesNothing()
    {
        var done = new Signal();
        var sum = 0;
        for (var i = 0; i < 100; i++)
        {
            sum += Read(AddOneAsync(done, ready: i));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            sum += Read(AddOneAsync(done, ready: i));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal((100 * 101 / 2) + (1000 * 1001 / 2), sum);
    }

    [Fact]
    public async Task Frame_ThatThrowsAfterWaiting_ThrowsToItsAwaiterAndTheBoxServesTheNext()
    {
        var signal = new Signal();
        var failing = ThrowAfterWaitAsync(signal);
        signal.Complete(1);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await failing);
        Assert.Equal("after 1", ex.Message);

        var next = AddOneAsync(signal);
        signal.Complete(41);
        Assert.Equal(42, await next);
    }

    [Fact]
    public void Result_ReadTwice_IsRefusedAndTheBoxIsNotHandedOutTwice()
    {
        var signal = new Signal();
        var frame = AddOneAsync(signal);
        signal.Complete(1);
        var task = frame;
        Assert.Equal(2, Read(task));
        Assert.Throws<InvalidOperationException>(() => Read(task));

        var second = AddOneAsync(signal);
        var third = AddOneAsync(new Signal());
        signal.Complete(10);
        Assert.Equal(11, Read(second));
        Assert.False(third.IsCompleted);
    }

    [Fact]
    public async Task Frame_ResumedElsewhere_SeesTheExecutionContextOfItsAwait()
    {
        var signal = new Signal();
        Marker.Value = "caller";
        var frame = ReadMarkerAfterWaitAsync(signal);
        Marker.Value = null;
        // Completed on a thread whose context has no marker: the frame still resumes in the context it awaited in.
        await Task.Run(() => signal.Complete(0));
        Assert.Equal("caller", await frame);
    }

    /// <summary>The result of a frame that has finished (reading it gives its box back).</summary>
    private static T Read<T>(ValueTask<T> frame) =>
        frame.IsCompleted ? frame.GetAwaiter().GetResult() : throw new InvalidOperationException("the frame has not finished");

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<int> AddOneAsync(Signal signal) => await signal.WaitAsync().ConfigureAwait(false) + 1;

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<int> AddOneAsync(Signal signal, int ready)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        return ready + 1;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<int> ThrowAfterWaitAsync(Signal signal)
    {
        var value = await signal.WaitAsync().ConfigureAwait(false);
        throw new InvalidOperationException("after " + value);
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<string?> ReadMarkerAfterWaitAsync(Signal signal)
    {
        await signal.WaitAsync().ConfigureAwait(false);
        return Marker.Value;
    }

    /// <summary>A reusable wait completed by the test: its continuation runs inline on the completing thread, as the loops' do.</summary>
    private sealed class Signal : IValueTaskSource<int>
    {
        private ManualResetValueTaskSourceCore<int> _core;

        public ValueTask<int> WaitAsync() => new(this, _core.Version);

        public void Complete(int value) => _core.SetResult(value);

        public int GetResult(short token)
        {
            var value = _core.GetResult(token);
            _core.Reset();
            return value;
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
