namespace Gantry.Store.Watching;

/// <summary>
/// In-process broadcast of committed changes to every subscriber's bounded buffer. Publishing never blocks:
/// a subscriber whose buffer is full is cut off and marked overflowed, and catches up from the durable log itself.
/// </summary>
/// <remarks>Callers publish in commit order from one writer at a time (the store's write lock), so every buffer sees that order.</remarks>
internal sealed class ChangeFeed<T>
{
    private readonly Lock _gate = new();
    private FeedSubscription<T>[] _subscribers = [];
    private bool _closed;

    public FeedSubscription<T> Subscribe(Func<T, bool> filter, int capacity)
    {
        var subscription = new FeedSubscription<T>(this, filter, capacity);
        lock (_gate)
        {
            if (_closed)
            {
                subscription.Complete();
                return subscription;
            }
            _subscribers = [.. _subscribers, subscription];
        }
        return subscription;
    }

    public void Publish(T item)
    {
        // Copy-on-write array: publishing reads a stable snapshot without taking the lock.
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Offer(item);
        }
    }

    /// <summary>Completes every subscription (the store is closing); later subscriptions complete at once.</summary>
    public void Close()
    {
        FeedSubscription<T>[] all;
        lock (_gate)
        {
            _closed = true;
            all = _subscribers;
            _subscribers = [];
        }
        foreach (var subscriber in all)
        {
            subscriber.Complete();
        }
    }

    internal void Remove(FeedSubscription<T> subscription)
    {
        lock (_gate)
        {
            _subscribers = Array.FindAll(_subscribers, s => !ReferenceEquals(s, subscription));
        }
    }
}
