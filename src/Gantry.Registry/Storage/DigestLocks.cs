namespace Gantry.Registry.Storage;

/// <summary>
/// Striped async locks keyed by digest: committing a blob, re-checking a blob's presence for a manifest, and the
/// garbage collector's delete all take the same stripe, so a sweep can never remove a blob a push just relied on.
/// </summary>
public sealed class DigestLocks
{
    private readonly SemaphoreSlim[] _stripes;

    public DigestLocks(int stripes = 256)
    {
        _stripes = new SemaphoreSlim[stripes];
        for (int i = 0; i < stripes; i++)
        {
            _stripes[i] = new SemaphoreSlim(1, 1);
        }
    }

    public async ValueTask<Releaser> AcquireAsync(string digest, CancellationToken ct)
    {
        SemaphoreSlim stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(digest) % (uint)_stripes.Length];
        await stripe.WaitAsync(ct).ConfigureAwait(false);
        return new Releaser(stripe);
    }

    /// <summary>Releases the stripe when disposed.</summary>
    public readonly struct Releaser(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
