using System.Runtime.CompilerServices;

namespace Gantry.Store.Watching;

/// <summary>
/// Provider-independent follow of the event log: subscribe to appended events first, then page the backlog,
/// then deliver live events, dropping any id already delivered. Overflow is repaired by paging from the last id.
/// </summary>
internal static class EventFollow
{
    public static async IAsyncEnumerable<EventRecord> RunAsync(
        Func<EventQuery, CancellationToken, Task<IReadOnlyList<EventRecord>>> list,
        ChangeFeed<EventRecord> feed,
        EventQuery query,
        int capacity,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var subscription = feed.Subscribe(query.Matches, capacity);
        try
        {
            var last = query.AfterId;
            var page = await list(query, ct).ConfigureAwait(false);
            while (true)
            {
                foreach (var e in page)
                {
                    last = Math.Max(last, e.Id);
                    yield return e;
                }
                if (query.Newest || page.Count == 0 || page.Count < query.Limit)
                {
                    break;
                }
                page = await list(query with { AfterId = last }, ct).ConfigureAwait(false);
            }

            while (true)
            {
                if (subscription.Reader.TryRead(out var live))
                {
                    if (live.Id > last)
                    {
                        last = live.Id;
                        yield return live;
                    }
                    continue;
                }
                if (await subscription.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
                {
                    continue;
                }
                if (!subscription.Overflowed)
                {
                    yield break;
                }
                subscription.Dispose();
                subscription = feed.Subscribe(query.Matches, capacity);
                var pageQuery = query with { Newest = false, Limit = Math.Max(1, capacity) };
                while (true)
                {
                    page = await list(pageQuery with { AfterId = last }, ct).ConfigureAwait(false);
                    foreach (var e in page)
                    {
                        last = Math.Max(last, e.Id);
                        yield return e;
                    }
                    if (page.Count < pageQuery.Limit)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            subscription.Dispose();
        }
    }
}
