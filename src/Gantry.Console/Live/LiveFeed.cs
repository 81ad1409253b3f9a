using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Gantry.Console.Live;

/// <summary>
/// One feed of changes, fed by the server's event (a store watch, an engine event stream, a registry event) and followed by
/// any number of open pages. Each follower has a one-slot mailbox, so a burst of changes (a rollout writes its status many
/// times) is one notice per moment the page is ready for it, and a slow page never holds the publisher up.
/// </summary>
/// <typeparam name="T">What a change says, for a follower's filter (a repository name); <see cref="bool"/> when nothing.</typeparam>
public sealed class LiveFeed<T>(string topic)
{
    private long _version;

    private event Action<long, T>? Published;

    public long Version => Interlocked.Read(ref _version);

    /// <summary>Counts a change and tells every follower; never blocks (called on the feed's own task).</summary>
    public void Publish(T change)
    {
        // Counted whether or not anyone follows (`?.Invoke` would skip evaluating its arguments): a page rendered before
        // this change must learn of it when its stream opens.
        var version = Interlocked.Increment(ref _version);
        Published?.Invoke(version, change);
    }

    /// <summary>
    /// The notices for the changes <paramref name="include"/> accepts until <paramref name="ct"/> ends; the first at once
    /// when the feed has moved since <paramref name="since"/> (a page rendered or last told before a change it missed).
    /// </summary>
    public async IAsyncEnumerable<LiveChange> FollowAsync(long? since, Func<T, bool> include, [EnumeratorCancellation] CancellationToken ct)
    {
        var mailbox = Channel.CreateBounded<long>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        void OnPublished(long version, T change)
        {
            if (include(change))
            {
                mailbox.Writer.TryWrite(version);
            }
        }
        Published += OnPublished;
        try
        {
            if (since is { } seen && seen != Version)
            {
                yield return new LiveChange(topic, Version);
            }
            while (await mailbox.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                if (mailbox.Reader.TryRead(out var version))
                {
                    yield return new LiveChange(topic, version);
                }
            }
        }
        finally
        {
            Published -= OnPublished;
        }
    }
}
