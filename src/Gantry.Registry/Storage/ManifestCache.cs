using System.Collections.Concurrent;
using System.Diagnostics;

namespace Gantry.Registry.Storage;

/// <summary>
/// Manifests in memory keyed by "repository@reference" (tag or digest), bounded by total body bytes. Hits take no lock:
/// they only stamp the entry; when the budget is exceeded one thread evicts the least recently stamped entries down
/// to 90 % of the budget. Tag keys are dropped when the tag moves or is deleted.
/// </summary>
public sealed class ManifestCache(long budgetBytes)
{
    private readonly ConcurrentDictionary<string, CachedManifest> _entries = new(StringComparer.Ordinal);
    private readonly Lock _evictLock = new();
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public static string Key(string repository, string reference) => string.Concat(repository, "@", reference);

    public bool TryGet(string key, out CachedManifest manifest)
    {
        if (_entries.TryGetValue(key, out CachedManifest? found))
        {
            found.LastUsed = Stopwatch.GetTimestamp();
            manifest = found;
            return true;
        }

        manifest = null!;
        return false;
    }

    public void Set(string key, CachedManifest manifest)
    {
        if (budgetBytes <= 0 || manifest.Body.Length > budgetBytes / 4)
        {
            return;
        }

        manifest.LastUsed = Stopwatch.GetTimestamp();
        CachedManifest? previous = null;
        _entries.AddOrUpdate(key, manifest, (_, old) =>
        {
            previous = old;
            return manifest;
        });
        Interlocked.Add(ref _bytes, manifest.Body.Length - (previous?.Body.Length ?? 0));
        if (Interlocked.Read(ref _bytes) > budgetBytes)
        {
            Evict();
        }
    }

    public void Remove(string key)
    {
        if (_entries.TryRemove(key, out CachedManifest? old))
        {
            Interlocked.Add(ref _bytes, -old.Body.Length);
        }
    }

    /// <summary>Drops every key of a repository (used when a manifest is deleted and its tags go with it).</summary>
    public void RemoveRepository(string repository)
    {
        string prefix = repository + "@";
        foreach (string key in _entries.Keys)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                Remove(key);
            }
        }
    }

    private void Evict()
    {
        lock (_evictLock)
        {
            long target = budgetBytes * 9 / 10;
            if (Interlocked.Read(ref _bytes) <= target)
            {
                return;
            }

            foreach (KeyValuePair<string, CachedManifest> entry in _entries.ToArray().OrderBy(e => e.Value.LastUsed))
            {
                if (Interlocked.Read(ref _bytes) <= target)
                {
                    break;
                }

                if (((ICollection<KeyValuePair<string, CachedManifest>>)_entries).Remove(entry))
                {
                    Interlocked.Add(ref _bytes, -entry.Value.Body.Length);
                }
            }
        }
    }
}
