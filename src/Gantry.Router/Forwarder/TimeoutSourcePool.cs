namespace Gantry.Router.Forwarder;

/// <summary>Recycles the per-request cancellation sources that combine "client went away" with "upstream too slow".</summary>
/// <remarks>A linked CancellationTokenSource per request costs the source, its link registration and a fresh timer. Here a
/// source is registered on the client's token with UnsafeRegister (no ExecutionContext capture), armed with CancelAfter,
/// and after the exchange TryReset() returns it to the pool with its timer object kept for the next request.</remarks>
public sealed class TimeoutSourcePool
{
    private const int MaxPooled = 1024;
    private readonly System.Collections.Concurrent.ConcurrentQueue<CancellationTokenSource> _pool = new();
    private int _count;

    public Lease Rent(CancellationToken clientAborted, TimeSpan timeout)
    {
        if (_pool.TryDequeue(out var source))
        {
            Interlocked.Decrement(ref _count);
        }
        else
        {
            source = new CancellationTokenSource();
        }

        var registration = clientAborted.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source);
        source.CancelAfter(timeout);
        return new Lease(this, source, registration);
    }

    private void Return(CancellationTokenSource source, CancellationTokenRegistration registration)
    {
        // Unregister first (waits for a running callback), then only reuse sources that never fired.
        registration.Dispose();
        if (source.TryReset())
        {
            if (Interlocked.Increment(ref _count) <= MaxPooled)
            {
                _pool.Enqueue(source);
                return;
            }

            Interlocked.Decrement(ref _count);
        }

        source.Dispose();
    }

    /// <summary>One rented source, held for the whole exchange so no token the HTTP handler saw is ever handed to another request.</summary>
    public readonly struct Lease(TimeoutSourcePool pool, CancellationTokenSource source, CancellationTokenRegistration registration) : IDisposable
    {
        public CancellationToken Token => source.Token;

        /// <summary>Stops the upstream timer once response headers are in: bodies may legitimately stream for a long time.</summary>
        public void Disarm() => source.CancelAfter(Timeout.InfiniteTimeSpan);

        public void Dispose() => pool.Return(source, registration);
    }
}
