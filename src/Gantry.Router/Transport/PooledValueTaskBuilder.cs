using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Gantry.Router.Transport;

/// <summary>
/// An async method builder for the per-request frames on the event loops (docs/decisions/0037): a frame that has to wait
/// keeps its state in a box taken from a pool of the thread it waits on, and the box goes back to that pool once its
/// result has been read. An ordinary <c>async ValueTask</c> allocates a new box for every request that waits.
/// </summary>
/// <remarks>
/// The runtime's <see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/> keeps one box per thread and one per core. On the
/// loops, 64 requests wait at once, so it misses almost always (measured: no fewer bytes per request). These pools hold up to
/// <see cref="PoolSize"/> boxes per thread and per method, and what a thread's full pool cannot keep goes to a pool all threads
/// share (<see cref="SharedSize"/>): a request that waited on another loop's socket gives its box back on that loop.
/// <para>The contract is the one every <see cref="ValueTask{TResult}"/> has: await the result once. The box is reused after that.</para>
/// <para>The execution context is captured at every await and restored around the resumption, as the runtime's builders do.</para>
/// </remarks>
public struct PooledValueTaskBuilder<TResult>
{
    /// <summary>Boxes kept per thread and per async method.</summary>
    public const int PoolSize = 64;

    /// <summary>Boxes kept per async method for the threads whose own pool is empty.</summary>
    public const int SharedSize = 1024;

    private IValueTaskSource<TResult>? _box;
    private short _token;
    private TResult? _result;
    private Exception? _exception;

    public static PooledValueTaskBuilder<TResult> Create() => default;

    public readonly ValueTask<TResult> Task =>
        _box is { } box ? new ValueTask<TResult>(box, _token)
        : _exception is { } exception ? ValueTask.FromException<TResult>(exception)
        : new ValueTask<TResult>(_result!);

    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine =>
        // The runtime's Start: runs to the first await and puts the caller's execution and synchronization contexts back.
        default(AsyncValueTaskMethodBuilder<TResult>).Start(ref stateMachine);

    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    public void SetResult(TResult result)
    {
        if (_box is null)
        {
            _result = result;
        }
        else
        {
            ((IBox)_box).SetResult(result);
        }
    }

    public void SetException(Exception exception)
    {
        if (_box is null)
        {
            _exception = exception;
        }
        else
        {
            ((IBox)_box).SetException(exception);
        }
    }

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(BoxFor(ref stateMachine).MoveNextAction);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(BoxFor(ref stateMachine).MoveNextAction);

    private Box<TStateMachine> BoxFor<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        var context = ExecutionContext.Capture();
        if (_box is Box<TStateMachine> box)
        {
            box.Context = context;
            return box;
        }

        box = Box<TStateMachine>.Rent();
        box.Context = context;
        // This builder lives inside the state machine: it must name its box before the state machine is copied into it.
        _box = box;
        _token = box.Version;
        box.StateMachine = stateMachine;
        return box;
    }

    private interface IBox
    {
        void SetResult(TResult result);

        void SetException(Exception exception);
    }

    private sealed class Box<TStateMachine> : IValueTaskSource<TResult>, IBox
        where TStateMachine : IAsyncStateMachine
    {
        [ThreadStatic]
        private static Box<TStateMachine>[]? t_pool;

        [ThreadStatic]
        private static int t_pooled;

        private static readonly System.Collections.Concurrent.ConcurrentQueue<Box<TStateMachine>> s_shared = new();

        private static int s_sharedCount;

        private static readonly ContextCallback s_moveNext = static box => ((Box<TStateMachine>)box!).StateMachine!.MoveNext();

        private ManualResetValueTaskSourceCore<TResult> _core;

        public TStateMachine? StateMachine;

        public ExecutionContext? Context;

        private Box() => MoveNextAction = MoveNext;

        public Action MoveNextAction { get; }

        public short Version => _core.Version;

        public static Box<TStateMachine> Rent()
        {
            var pool = t_pool;
            if (pool is not null && t_pooled > 0)
            {
                var index = --t_pooled;
                var box = pool[index];
                pool[index] = null!;
                return box;
            }

            if (s_shared.TryDequeue(out var shared))
            {
                Interlocked.Decrement(ref s_sharedCount);
                return shared;
            }

            return new Box<TStateMachine>();
        }

        private void Return()
        {
            _core.Reset();
            StateMachine = default;
            Context = null;
            var pool = t_pool ??= new Box<TStateMachine>[PoolSize];
            if (t_pooled < pool.Length)
            {
                pool[t_pooled++] = this;
            }
            else if (Interlocked.Increment(ref s_sharedCount) <= SharedSize)
            {
                // A request that waited on another loop's socket ends there: its box moves on, to a thread whose own pool runs dry.
                s_shared.Enqueue(this);
            }
            else
            {
                Interlocked.Decrement(ref s_sharedCount);
            }
        }

        private void MoveNext()
        {
            if (Context is null)
            {
                StateMachine!.MoveNext();
            }
            else
            {
                ExecutionContext.Run(Context, s_moveNext, this);
            }
        }

        public void SetResult(TResult result) => _core.SetResult(result);

        public void SetException(Exception exception) => _core.SetException(exception);

        public TResult GetResult(short token)
        {
            // Only the one awaiter of a finished frame gives the box back: a stale token or an early read must not recycle a
            // box that is still in use.
            if (token != _core.Version || _core.GetStatus(token) == ValueTaskSourceStatus.Pending)
            {
                throw new InvalidOperationException("The result of a pooled async frame was read twice, or before it finished.");
            }

            try
            {
                return _core.GetResult(token);
            }
            finally
            {
                Return();
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
