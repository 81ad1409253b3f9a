using System.Text.RegularExpressions;
using System.Threading.Channels;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Bundles;

/// <summary>
/// The server's uploaded bundles: one directory per distinct project content, named by its digest, kept
/// while an app or a kept release references it. Extraction, the path of a bundle, its inline files, its
/// collection and its size all live here.
/// </summary>
/// <remarks>
/// Layout under the root: <c>{digest}/</c> the unpacked project (never written after it is committed),
/// <c>{digest}.inline/</c> the inline secrets and configs written for it, <c>staging-{guid}/</c> an upload
/// being unpacked (or a dry run's), <c>trash-{guid}</c> a bundle being deleted (renamed first, so a crash
/// never leaves a half-deleted bundle under a digest a later deploy would reuse).
/// A collection and the commit of a new bundle take the same gate, and a deploy holds a lease on its
/// bundle until its release is stored, so nothing in use is ever collected.
/// </remarks>
public sealed partial class BundleStore(string root, BundleLimits limits, long maxCompressedBytes, IResourceStore store, ILogger<BundleStore> logger)
{
    private const string StagingPrefix = "staging-";
    private const string TrashPrefix = "trash-";
    private const string InlineSuffix = ".inline";

    private readonly string _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, int> _active = new(StringComparer.Ordinal);
    private readonly Lock _activeLock = new();
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public string Root => _root;

    public BundleLimits Limits => limits;

    /// <summary>Signalled when a collection may free something; read by <see cref="BundleCollector"/>.</summary>
    internal ChannelReader<bool> CollectionRequests => _requests.Reader;

    /// <summary>Where the inline secrets and configs of a bundle are written: beside it, never inside the uploaded tree.</summary>
    public static string InlineDirectoryOf(string bundleDirectory) => Path.TrimEndingDirectorySeparator(bundleDirectory) + InlineSuffix;

    /// <summary>
    /// Unpacks an upload. A temporary bundle (a dry run) stays in its staging directory and is deleted when the
    /// lease is released; otherwise it becomes (or reuses) the directory named by its content digest.
    /// </summary>
    /// <exception cref="BundleException">The upload is not a safe, bounded tar.gz.</exception>
    public async Task<BundleLease> ExtractAsync(Stream gzip, bool temporary, CancellationToken ct)
    {
        Directory.CreateDirectory(_root);
        var key = StagingPrefix + Guid.NewGuid().ToString("N");
        var staging = Path.Combine(_root, key);
        Acquire(key);
        string digest;
        try
        {
            Directory.CreateDirectory(staging);
            digest = await BundleExtractor.ExtractAsync(gzip, staging, limits, maxCompressedBytes, ct).ConfigureAwait(false);
        }
        catch
        {
            ReleaseKey(key);
            TryRemove(staging);
            throw;
        }
        if (temporary)
        {
            return new BundleLease(this, key, staging, digest, temporary: true);
        }
        try
        {
            var target = Path.Combine(_root, digest);
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (Directory.Exists(target))
                {
                    Remove(staging); // the same content is already here (the same project deployed again)
                }
                else
                {
                    Directory.Move(staging, target);
                }
                // Under the gate, so no collection runs between the move and the lease.
                Acquire(digest);
            }
            finally
            {
                _gate.Release();
            }
            return new BundleLease(this, digest, target, digest, temporary: false);
        }
        catch
        {
            TryRemove(staging);
            throw;
        }
        finally
        {
            ReleaseKey(key);
        }
    }

    /// <summary>Deletes every bundle no app and no kept release references (and leftovers of interrupted uploads); returns the bytes freed.</summary>
    public async Task<long> CollectAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!Directory.Exists(_root))
            {
                return 0;
            }
            var referenced = await ReferencedAsync(ct).ConfigureAwait(false);
            long freed = 0;
            var removed = 0;
            foreach (var entry in Directory.GetFileSystemEntries(_root))
            {
                if (KeyOf(Path.GetFileName(entry)) is not { } key || referenced.Contains(key) || IsActive(key))
                {
                    continue;
                }
                freed += Measure(entry);
                Remove(entry);
                removed++;
            }
            if (removed > 0)
            {
                LogCollected(logger, removed, freed);
            }
            return freed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sizes the bundles directory and the part of it a collection would free.</summary>
    public async Task<BundleUsage> UsageAsync(CancellationToken ct)
    {
        if (!Directory.Exists(_root))
        {
            return new BundleUsage(0, 0, 0, 0);
        }
        var referenced = await ReferencedAsync(ct).ConfigureAwait(false);
        int bundles = 0, unreferencedBundles = 0;
        long bytes = 0, unreferencedBytes = 0;
        foreach (var entry in Directory.GetFileSystemEntries(_root))
        {
            var name = Path.GetFileName(entry);
            var size = Measure(entry);
            bytes += size;
            var isBundle = name.Length == 64 && KeyOf(name) == name;
            bundles += isBundle ? 1 : 0;
            if (KeyOf(name) is { } key && !referenced.Contains(key) && !IsActive(key))
            {
                unreferencedBytes += size;
                unreferencedBundles += isBundle ? 1 : 0;
            }
        }
        return new BundleUsage(bundles, bytes, unreferencedBundles, unreferencedBytes);
    }

    /// <summary>Asks the collector for a collection soon; requests coalesce.</summary>
    public void RequestCollection() => _requests.Writer.TryWrite(true);

    internal void Release(BundleLease lease)
    {
        ReleaseKey(lease.Key);
        if (lease.Temporary)
        {
            TryRemove(lease.Directory);
            TryRemove(InlineDirectoryOf(lease.Directory));
        }
        else
        {
            // A refused deploy leaves its bundle unreferenced; an accepted one may have retired another.
            RequestCollection();
        }
    }

    /// <summary>
    /// Every 64-hex-digit run in the spec of an app or a kept release. Bundle paths sit in many fields (build
    /// contexts, secret and config files, bind mounts); matching their digest anywhere in the JSON cannot miss
    /// one, and a chance match (an image id) only keeps a bundle longer.
    /// </summary>
    private async Task<HashSet<string>> ReferencedAsync(CancellationToken ct)
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in new[] { AppKinds.App, ReleaseBook.Kind })
        {
            foreach (var resource in await store.ListAsync(kind, ct).ConfigureAwait(false))
            {
                foreach (Match match in DigestPattern().Matches(resource.SpecJson))
                {
                    referenced.Add(match.Value);
                }
            }
        }
        return referenced;
    }

    /// <summary>Which bundle an entry of the root belongs to; null for names this store did not make (left alone).</summary>
    private static string? KeyOf(string name)
    {
        if (name.StartsWith(StagingPrefix, StringComparison.Ordinal))
        {
            return name.Split('.')[0];
        }
        if (name.StartsWith(TrashPrefix, StringComparison.Ordinal) || name.StartsWith("upload-", StringComparison.Ordinal))
        {
            return name; // never in use: a deletion that did not finish, or an upload of an older version
        }
        return name.Length >= 64 && DigestPattern().Match(name) is { Success: true, Index: 0 } match && (name.Length == 64 || name[64] == '.')
            ? match.Value
            : null;
    }

    private void Acquire(string key)
    {
        lock (_activeLock)
        {
            _active[key] = _active.GetValueOrDefault(key) + 1;
        }
    }

    private void ReleaseKey(string key)
    {
        lock (_activeLock)
        {
            if (_active.TryGetValue(key, out var count) && count > 1)
            {
                _active[key] = count - 1;
            }
            else
            {
                _active.Remove(key);
            }
        }
    }

    private bool IsActive(string key)
    {
        lock (_activeLock)
        {
            return _active.ContainsKey(key);
        }
    }

    /// <summary>Deletes a file, link or directory tree without following links; a directory is renamed away first.</summary>
    private void Remove(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null && Directory.Exists(path))
        {
            var trash = Path.Combine(_root, TrashPrefix + Guid.NewGuid().ToString("N"));
            Directory.Move(path, trash);
            Directory.Delete(trash, recursive: true);
        }
        else if (info.Exists || info.LinkTarget is not null)
        {
            File.Delete(path);
        }
    }

    /// <summary>Cleanup that must not hide the error being reported: what is left is a leftover the next collection removes.</summary>
    private void TryRemove(string path)
    {
        try
        {
            Remove(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogRemoveFailed(logger, path, e);
        }
    }

    /// <summary>Bytes of the regular files under a path, never following a link.</summary>
    private static long Measure(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return 0;
        }
        if (info.Exists)
        {
            return info.Length;
        }
        if (!Directory.Exists(path))
        {
            return 0;
        }
        long total = 0;
        foreach (var child in Directory.GetFileSystemEntries(path))
        {
            total += Measure(child);
        }
        return total;
    }

    [GeneratedRegex("(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();

    [LoggerMessage(4001, LogLevel.Information, "Removed {Count} unreferenced bundle entries, {Bytes} bytes freed")]
    private static partial void LogCollected(ILogger logger, int count, long bytes);

    [LoggerMessage(4002, LogLevel.Warning, "Could not remove {Path}; the next collection will")]
    private static partial void LogRemoveFailed(ILogger logger, string path, Exception error);
}
