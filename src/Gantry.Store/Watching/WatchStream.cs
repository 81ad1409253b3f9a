using System.Runtime.CompilerServices;

namespace Gantry.Store.Watching;

/// <summary>
/// The provider-independent watch algorithm: subscribe to the live feed first, then read the durable state,
/// so every change is either in the read or in the buffer; duplicates are dropped by resource version.
/// A buffer overflow is repaired from the change log, or, when the log was compacted past the watcher,
/// by re-listing and emitting the difference against what this watcher has already delivered.
/// </summary>
internal static class WatchStream
{
    public static async IAsyncEnumerable<ResourceChange> RunAsync(
        IChangeSource source,
        ChangeFeed<ResourceChange> feed,
        string? kind,
        long? afterRevision,
        int capacity,
        [EnumeratorCancellation] CancellationToken ct)
    {
        Func<ResourceChange, bool> filter = kind is null
            ? static _ => true
            : c => string.Equals(c.Resource?.Kind, kind, StringComparison.Ordinal);
        var subscription = feed.Subscribe(filter, capacity);
        try
        {
            // What the consumer holds after applying everything delivered so far; needed to diff a re-list.
            var known = new Dictionary<(string Kind, string Name), StoredResource>();
            var first = await source.ReadAsync(kind, afterRevision, includeResources: true, ct).ConfigureAwait(false);
            if (afterRevision is { } after)
            {
                if (first.Changes is null)
                {
                    throw new ExpiredResourceVersionException(kind, after, first.CompactedThrough);
                }
                foreach (var change in first.Changes)
                {
                    yield return change;
                }
            }
            foreach (var resource in first.Resources!)
            {
                known[(resource.Kind, resource.Name)] = resource;
                if (afterRevision is null)
                {
                    yield return new ResourceChange(ResourceChangeType.Added, resource, resource.ResourceVersion);
                }
            }
            var last = first.Revision;
            yield return new ResourceChange(ResourceChangeType.Synced, null, last);

            while (true)
            {
                if (subscription.Reader.TryRead(out var live))
                {
                    if (live.ResourceVersion > last)
                    {
                        Apply(known, live);
                        last = live.ResourceVersion;
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
                    yield break; // the store closed
                }

                // Fell behind: resubscribe before reading so nothing committed from here on can slip between.
                subscription.Dispose();
                subscription = feed.Subscribe(filter, capacity);
                var catchUp = await source.ReadAsync(kind, last, includeResources: false, ct).ConfigureAwait(false);
                if (catchUp.Changes is null)
                {
                    catchUp = await source.ReadAsync(kind, null, includeResources: true, ct).ConfigureAwait(false);
                    foreach (var change in Relist(known, catchUp.Resources!, catchUp.Revision))
                    {
                        Apply(known, change);
                        yield return change;
                    }
                    last = catchUp.Revision;
                    yield return new ResourceChange(ResourceChangeType.Synced, null, last);
                    continue;
                }
                foreach (var change in catchUp.Changes)
                {
                    Apply(known, change);
                    yield return change;
                }
                last = Math.Max(last, catchUp.Revision);
            }
        }
        finally
        {
            subscription.Dispose();
        }
    }

    private static void Apply(Dictionary<(string Kind, string Name), StoredResource> known, ResourceChange change)
    {
        var resource = change.Resource!;
        if (change.Type == ResourceChangeType.Deleted)
        {
            known.Remove((resource.Kind, resource.Name));
        }
        else
        {
            known[(resource.Kind, resource.Name)] = resource;
        }
    }

    /// <summary>The changes that turn <paramref name="known"/> into <paramref name="current"/>, in resource-version order.</summary>
    private static List<ResourceChange> Relist(
        Dictionary<(string Kind, string Name), StoredResource> known,
        IReadOnlyList<StoredResource> current,
        long revision)
    {
        var result = new List<ResourceChange>();
        var seen = new HashSet<(string Kind, string Name)>();
        foreach (var resource in current.OrderBy(r => r.ResourceVersion))
        {
            seen.Add((resource.Kind, resource.Name));
            if (!known.TryGetValue((resource.Kind, resource.Name), out var old))
            {
                result.Add(new ResourceChange(ResourceChangeType.Added, resource, resource.ResourceVersion));
            }
            else if (old.ResourceVersion != resource.ResourceVersion)
            {
                // Same name but a different uid means it was deleted and re-created while we were behind.
                if (!string.Equals(old.Uid, resource.Uid, StringComparison.Ordinal))
                {
                    result.Add(new ResourceChange(ResourceChangeType.Deleted, old with { ResourceVersion = resource.ResourceVersion }, resource.ResourceVersion));
                    result.Add(new ResourceChange(ResourceChangeType.Added, resource, resource.ResourceVersion));
                }
                else
                {
                    result.Add(new ResourceChange(ResourceChangeType.Modified, resource, resource.ResourceVersion));
                }
            }
        }
        foreach (var (key, old) in known)
        {
            if (!seen.Contains(key))
            {
                // The exact deletion revision is gone with the compacted log; the re-list revision bounds it.
                result.Add(new ResourceChange(ResourceChangeType.Deleted, old with { ResourceVersion = revision }, revision));
            }
        }
        return result;
    }
}
