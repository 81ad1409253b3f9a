namespace Gantry.Server.Bundles;

/// <summary>
/// An unpacked bundle in use by one deploy: while it is held, a collection leaves the bundle alone even
/// though no release references it yet. A temporary one (a dry run) is deleted when released.
/// </summary>
public sealed class BundleLease : IAsyncDisposable
{
    private readonly BundleStore _store;
    private int _released;

    internal BundleLease(BundleStore store, string key, string directory, string digest, bool temporary)
    {
        _store = store;
        Key = key;
        Directory = directory;
        Digest = digest;
        Temporary = temporary;
    }

    /// <summary>The unpacked project directory.</summary>
    public string Directory { get; }

    /// <summary>The digest of the unpacked content (also the directory's name unless temporary).</summary>
    public string Digest { get; }

    public bool Temporary { get; }

    internal string Key { get; }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _store.Release(this);
        }
        return ValueTask.CompletedTask;
    }
}
