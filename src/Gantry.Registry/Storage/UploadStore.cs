using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Gantry.Registry.Content;
using Microsoft.Win32.SafeHandles;

namespace Gantry.Registry.Storage;

/// <summary>
/// Upload sessions under RootDirectory/uploads/&lt;id&gt;/: bytes stream to a data file while being hashed, and only a
/// digest match moves them into the blob store. A session survives a restart (its offset is the file length).
/// </summary>
public sealed class UploadStore
{
    private const int BufferSize = 1 << 20;
    private readonly string _root;
    private readonly BlobStore _blobs;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, UploadSession> _sessions = new(StringComparer.Ordinal);

    public UploadStore(string rootDirectory, BlobStore blobs, TimeProvider time)
    {
        _root = Path.Combine(rootDirectory, "uploads");
        System.IO.Directory.CreateDirectory(_root);
        _blobs = blobs;
        _time = time;
    }

    private readonly ConcurrentDictionary<string, byte> _creating = new(StringComparer.Ordinal);

    public UploadSession Create(string repository)
    {
        string id = Guid.NewGuid().ToString("D");
        string dir = Path.Combine(_root, id);
        // Until its files exist a new session's directory looks idle to a concurrent sweep: keep the sweep off it.
        _creating.TryAdd(id, 0);
        try
        {
            return CreateFiles(id, dir, repository);
        }
        finally
        {
            _creating.TryRemove(id, out _);
        }
    }

    private UploadSession CreateFiles(string id, string dir, string repository)
    {
        System.IO.Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "repository"), repository);
        string data = Path.Combine(dir, "data");
        File.Create(data).Dispose();
        // Idle expiry compares against the TimeProvider, so the session's clock starts on it too.
        File.SetLastWriteTimeUtc(data, _time.GetUtcNow().UtcDateTime);
        var session = new UploadSession(id, repository, dir) { HashInSync = true };
        _sessions[id] = session;
        return session;
    }

    /// <summary>Finds a live session of this repository, reloading it from disk after a restart.</summary>
    public UploadSession? Find(string repository, string id)
    {
        if (!Guid.TryParseExact(id, "D", out _))
        {
            return null;
        }

        if (_sessions.TryGetValue(id, out UploadSession? live))
        {
            return live.Repository == repository && !live.Closed ? live : null;
        }

        string dir = Path.Combine(_root, id);
        string repoFile = Path.Combine(dir, "repository");
        var data = new FileInfo(Path.Combine(dir, "data"));
        if (!File.Exists(repoFile) || !data.Exists || File.ReadAllText(repoFile) != repository)
        {
            return null;
        }

        var session = new UploadSession(id, repository, dir) { Offset = data.Length, HashInSync = data.Length == 0 };
        return _sessions.GetOrAdd(id, session);
    }

    /// <summary>
    /// Appends the request body at the session's offset. Bytes that arrived before a client hung up are kept (they
    /// are a valid prefix), so the client can ask for the offset and resume; a failed write is truncated away.
    /// </summary>
    public async ValueTask AppendAsync(UploadSession session, Stream body, CancellationToken ct)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using SafeFileHandle handle = File.OpenHandle(session.DataPath, FileMode.Open, FileAccess.Write);
            try
            {
                while (true)
                {
                    (int read, ExceptionDispatchInfo? failure) = await ReadChunkAsync(body, buffer, ct).ConfigureAwait(false);
                    if (read == 0)
                    {
                        failure?.Throw();
                        break;
                    }

                    // Synchronous: it lands in the page cache, and an async write on a non-async handle only adds a thread-pool hop.
                    RandomAccess.Write(handle, buffer.AsSpan(0, read), session.Offset);
                    if (session.HashInSync)
                    {
                        session.Sha256.AppendData(buffer, 0, read);
                    }

                    session.Offset += read;
                    // The body broke after these bytes arrived: they are stored, now report the break.
                    failure?.Throw();
                }
            }
            finally
            {
                // Drop any partially written tail so the file length, the offset and the hash agree.
                if (RandomAccess.GetLength(handle) != session.Offset)
                {
                    RandomAccess.SetLength(handle, session.Offset);
                }

                File.SetLastWriteTimeUtc(handle, _time.GetUtcNow().UtcDateTime);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Fills the buffer as far as the body allows, so each disk write and hash update is large. A body that
    /// breaks (client gone, truncated chunk) returns what arrived before it together with the failure, so the
    /// caller stores those bytes first: a resumed upload must not send again what the server already received.
    /// </summary>
    private static async ValueTask<(int Read, ExceptionDispatchInfo? Failure)> ReadChunkAsync(Stream body, byte[] buffer, CancellationToken ct)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n;
            try
            {
                n = await body.ReadAsync(buffer.AsMemory(total), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                return (total, ExceptionDispatchInfo.Capture(ex));
            }

            if (n == 0)
            {
                break;
            }

            total += n;
            if (total >= 512 * 1024)
            {
                break;
            }
        }

        return (total, null);
    }

    /// <summary>Verifies the uploaded bytes against the digest and commits them; the session ends either way.</summary>
    public async ValueTask<RegistryError?> CompleteAsync(UploadSession session, Digest expected, CancellationToken ct)
    {
        Digest actual;
        if (session.HashInSync && expected.Algorithm == "sha256")
        {
            actual = Digest.FromHash("sha256", session.Sha256.GetCurrentHash());
        }
        else
        {
            actual = await HashFileAsync(session.DataPath, expected, ct).ConfigureAwait(false);
        }

        if (actual != expected)
        {
            Close(session);
            return RegistryError.DigestInvalid($"the uploaded content ({session.Offset} bytes) has digest {actual}, not the {expected} given in ?digest=; nothing was stored, push the blob again");
        }

        try
        {
            await _blobs.CommitAsync(session.DataPath, expected, ct).ConfigureAwait(false);
        }
        finally
        {
            Close(session);
        }

        return null;
    }

    private static async ValueTask<Digest> HashFileAsync(string path, Digest expected, CancellationToken ct)
    {
        FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            byte[] hash = expected.Algorithm == "sha512"
                ? await SHA512.HashDataAsync(stream, ct).ConfigureAwait(false)
                : await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false);
            return Digest.FromHash(expected.Algorithm, hash);
        }
    }

    /// <summary>Ends a session and deletes its files.</summary>
    public void Close(UploadSession session)
    {
        session.Closed = true;
        _sessions.TryRemove(session.Id, out _);
        try
        {
            System.IO.Directory.Delete(session.Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>Deletes sessions idle for longer than the cutoff, and stray temp files; returns how many were removed.</summary>
    public int SweepIdle(DateTimeOffset cutoff) => SweepIdle(cutoff, dryRun: false);

    /// <summary>Counts what <see cref="SweepIdle(DateTimeOffset)"/> would remove now, deleting nothing (the collector's preview).</summary>
    public int CountIdle(DateTimeOffset cutoff) => SweepIdle(cutoff, dryRun: true);

    private int SweepIdle(DateTimeOffset cutoff, bool dryRun)
    {
        int removed = 0;
        foreach (string dir in System.IO.Directory.EnumerateDirectories(_root))
        {
            string name = Path.GetFileName(dir);
            if (name == "_tmp")
            {
                foreach (string file in System.IO.Directory.EnumerateFiles(dir))
                {
                    if (!_blobs.IsInFlight(file) && File.GetLastWriteTimeUtc(file) < cutoff.UtcDateTime)
                    {
                        if (!dryRun)
                        {
                            BlobStore.TryDelete(file);
                        }
                        removed++;
                    }
                }

                continue;
            }

            if (_creating.ContainsKey(name))
            {
                continue;
            }
            string data = Path.Combine(dir, "data");
            DateTime touched = File.Exists(data) ? File.GetLastWriteTimeUtc(data) : System.IO.Directory.GetLastWriteTimeUtc(dir);
            // A session whose gate is held is mid-request: never pull its files away.
            if (touched < cutoff.UtcDateTime && (!_sessions.TryGetValue(name, out UploadSession? s) || s.Gate.CurrentCount == 1))
            {
                if (dryRun)
                {
                    removed++;
                    continue;
                }
                _sessions.TryRemove(name, out _);
                try
                {
                    System.IO.Directory.Delete(dir, recursive: true);
                    removed++;
                }
                catch (IOException)
                {
                }
            }
        }

        return removed;
    }
}
