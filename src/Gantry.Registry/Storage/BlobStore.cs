using Gantry.Registry.Content;

namespace Gantry.Registry.Storage;

/// <summary>
/// Content-addressed files under RootDirectory/blobs/&lt;algorithm&gt;/&lt;first two hex&gt;/&lt;hex&gt;. Files only ever appear
/// by an atomic rename of a fully written and verified temp file, so a reader sees a whole blob or none.
/// </summary>
public sealed class BlobStore
{
    private readonly string _root;
    private readonly string _tempRoot;
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    public BlobStore(string rootDirectory, DigestLocks locks, TimeProvider time)
    {
        _root = Path.Combine(rootDirectory, "blobs");
        _tempRoot = Path.Combine(rootDirectory, "uploads", "_tmp");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_tempRoot);
        Locks = locks;
        _time = time;
    }

    public DigestLocks Locks { get; }

    public string RootPath => _root;

    public string PathFor(Digest digest) => Path.Combine(_root, digest.Algorithm, digest.Hex[..2], digest.Hex);

    public string PathFor(string digest) => Digest.TryParse(digest, out Digest d)
        ? PathFor(d)
        : throw new ArgumentException($"'{digest}' is not a valid digest", nameof(digest));

    /// <summary>Size of a stored blob, or -1 when absent.</summary>
    public long SizeOf(string digest)
    {
        var info = new FileInfo(PathFor(digest));
        return info.Exists ? info.Length : -1;
    }

    /// <summary>
    /// Moves a verified file into place under the digest lock. Renaming over an identical existing blob is harmless,
    /// which is what makes concurrent pushes of the same layer safe. The mtime is set from the TimeProvider because
    /// the garbage collector's grace period is measured against it.
    /// </summary>
    public async ValueTask CommitAsync(string verifiedFile, Digest digest, CancellationToken ct)
    {
        string target = PathFor(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using (await Locks.AcquireAsync(digest.ToString(), ct).ConfigureAwait(false))
        {
            File.SetLastWriteTimeUtc(verifiedFile, _time.GetUtcNow().UtcDateTime);
            File.Move(verifiedFile, target, overwrite: true);
        }
    }

    /// <summary>Stores small content already in memory (manifests) under its digest.</summary>
    public async ValueTask PutBytesAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        string temp = NewTempPath();
        _inFlight[temp] = 0;
        try
        {
            await File.WriteAllBytesAsync(temp, content, ct).ConfigureAwait(false);
            await CommitAsync(temp, digest, ct).ConfigureAwait(false);
        }
        finally
        {
            TryDelete(temp);
            _inFlight.TryRemove(temp, out _);
        }
    }

    /// <summary>
    /// Confirms a blob exists and refreshes its mtime, under the digest lock, so a sweep running right now cannot
    /// delete a blob that a manifest or a mount is about to rely on.
    /// </summary>
    public async ValueTask<bool> TouchIfExistsAsync(string digest, CancellationToken ct)
    {
        string path = PathFor(digest);
        using (await Locks.AcquireAsync(digest, ct).ConfigureAwait(false))
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
            return true;
        }
    }

    /// <summary>True while a temp file is being written, so the sweep of stray temp files leaves it alone.</summary>
    public bool IsInFlight(string tempPath) => _inFlight.ContainsKey(tempPath);

    public string NewTempPath() => Path.Combine(_tempRoot, Guid.NewGuid().ToString("N"));

    /// <summary>Every stored blob with its last write time, for the sweep.</summary>
    public IEnumerable<(string Digest, DateTime LastWriteUtc)> EnumerateBlobs()
    {
        foreach (string algorithmDir in Directory.EnumerateDirectories(_root))
        {
            string algorithm = Path.GetFileName(algorithmDir);
            foreach (string file in Directory.EnumerateFiles(algorithmDir, "*", SearchOption.AllDirectories))
            {
                yield return ($"{algorithm}:{Path.GetFileName(file)}", File.GetLastWriteTimeUtc(file));
            }
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: leftovers in uploads/_tmp are swept later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
