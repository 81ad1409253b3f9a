using System.Threading.Channels;

namespace Gantry.Store.Watching;

/// <summary>One subscriber's bounded buffer on a <see cref="ChangeFeed{T}"/>.</summary>
internal sealed class FeedSubscription<T> : IDisposable
{
    private readonly ChangeFeed<T> _feed;
    private readonly Func<T, bool> _filter;
    private readonly Channel<T> _channel;
    private volatile bool _overflowed;

    public FeedSubscription(ChangeFeed<T> feed, Func<T, bool> filter, int capacity)
    {
        _feed = feed;
        _filter = filter;
        _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<T> Reader => _channel.Reader;

    /// <summary>True when an item did not fit: the reader must catch up from the durable log after draining the buffer.</summary>
    public bool Overflowed => _overflowed;

    internal void Offer(T item)
    {
        if (!_filter(item) || _channel.Writer.TryWrite(item))
        {
            return;
        }
        _overflowed = true;
        _channel.Writer.TryComplete();
        _feed.Remove(this);
    }

    internal void Complete() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _feed.Remove(this);
        _channel.Writer.TryComplete();
    }
}
