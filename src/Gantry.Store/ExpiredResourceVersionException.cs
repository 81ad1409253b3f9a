namespace Gantry.Store;

/// <summary>
/// A watch was resumed from a resource version older than the compacted change log, so the store
/// cannot replay what happened since: start a fresh watch (which lists everything again).
/// </summary>
public sealed class ExpiredResourceVersionException : StoreException
{
    public ExpiredResourceVersionException(string? kind, long requested, long compactedThrough)
        : base(kind ?? "*", "*", $"Cannot resume the watch of {kind ?? "all kinds"} after resource version {requested}: the change log only goes back to {compactedThrough + 1}. Start a new watch to re-list.")
    {
        Requested = requested;
        CompactedThrough = compactedThrough;
    }

    public long Requested { get; }

    public long CompactedThrough { get; }
}
