namespace Gantry.Store.Watching;

/// <summary>The durable side of a watch: consistent reads of current state and of the change log, from one snapshot.</summary>
internal interface IChangeSource
{
    /// <summary>
    /// Reads, in one consistent snapshot, the store revision, optionally every resource of <paramref name="kind"/>,
    /// and optionally the logged changes after <paramref name="afterRevision"/> (null in the result if compacted away).
    /// </summary>
    Task<ChangeRead> ReadAsync(string? kind, long? afterRevision, bool includeResources, CancellationToken ct);
}
