using System.Security.Cryptography;

namespace Gantry.Registry.Storage;

/// <summary>
/// Mutable state of one upload: the bytes live in RootDirectory/uploads/&lt;id&gt;/data (the offset is its length);
/// the running SHA-256 is kept in memory and rebuilt by rehashing the file after a restart.
/// </summary>
public sealed class UploadSession(string id, string repository, string directory) : IDisposable
{
    public string Id { get; } = id;

    public string Repository { get; } = repository;

    public string Directory { get; } = directory;

    public string DataPath => Path.Combine(Directory, "data");

    /// <summary>Serialises PATCH/PUT/DELETE on one session; docker never sends them in parallel, but a retry might.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Bytes stored and hashed so far; the data file is truncated back to this after a failed write.</summary>
    public long Offset { get; set; }

    /// <summary>Running hash of bytes [0, Offset) when <see cref="HashInSync"/>; otherwise the file is rehashed at the end.</summary>
    public IncrementalHash Sha256 { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public bool HashInSync { get; set; }

    public bool Closed { get; set; }

    public void Dispose()
    {
        Sha256.Dispose();
        Gate.Dispose();
    }
}
