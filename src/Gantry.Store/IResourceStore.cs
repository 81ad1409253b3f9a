namespace Gantry.Store;

/// <summary>
/// Gantry's store of desired state, status and events: the seam every storage provider implements
/// (SQLite now, PostgreSQL later). Resources are (kind, name) pairs holding JSON spec and status documents;
/// typed access lives beside each kind's model (StoredApp, StoredRelease in Gantry.Controllers).
/// </summary>
/// <remarks>
/// Revisions: every write (spec, status, deletion mark, delete) takes the next store-wide resource version;
/// <see cref="StoredResource.Generation"/> only moves when the spec changes. Writes that change nothing
/// (same spec, same status and observed generation, deletion already requested) are no-ops and keep the version.
/// </remarks>
public interface IResourceStore : IAsyncDisposable
{
    Task<StoredResource?> GetAsync(string kind, string name, CancellationToken ct = default);

    /// <summary>Every resource of <paramref name="kind"/>, ordered by name.</summary>
    Task<IReadOnlyList<StoredResource>> ListAsync(string kind, CancellationToken ct = default);

    /// <summary>Creates the resource at generation 1; <see cref="ConflictException"/> if it exists (even while being deleted).</summary>
    Task<StoredResource> CreateAsync(string kind, string name, string specJson, CancellationToken ct = default);

    /// <summary>
    /// Creates or updates the spec. The generation grows only when the JSON differs semantically.
    /// <paramref name="expectedResourceVersion"/>: null = last writer wins, 0 = must not exist yet, otherwise must match
    /// (<see cref="ConcurrencyException"/>). <see cref="ConflictException"/> while the resource is being deleted.
    /// </summary>
    Task<StoredResource> UpsertSpecAsync(string kind, string name, string specJson, long? expectedResourceVersion, CancellationToken ct = default);

    /// <summary>Writes the status with the generation it reflects; <see cref="NotFoundException"/> if missing.</summary>
    Task<StoredResource> UpdateStatusAsync(string kind, string name, string statusJson, long observedGeneration, long? expectedResourceVersion = null, CancellationToken ct = default);

    /// <summary>
    /// Marks the resource for deletion (finalizer style): watchers see it Modified with
    /// <see cref="StoredResource.DeletionRequestedAt"/> set, the controller cleans the engine, then calls <see cref="DeleteAsync"/>.
    /// Idempotent; <see cref="NotFoundException"/> if missing.
    /// </summary>
    Task<StoredResource> RequestDeletionAsync(string kind, string name, CancellationToken ct = default);

    /// <summary>Removes the resource; false if it did not exist.</summary>
    Task<bool> DeleteAsync(string kind, string name, long? expectedResourceVersion = null, CancellationToken ct = default);

    /// <summary>
    /// Commits every write and event of <paramref name="batch"/> in one transaction, or none of them: the first
    /// <see cref="ConcurrencyException"/>, <see cref="ConflictException"/> or <see cref="NotFoundException"/> aborts it.
    /// Watchers see the changes in the batch's order, after the commit.
    /// </summary>
    Task<StoreBatchResult> CommitAsync(StoreBatch batch, CancellationToken ct = default);

    /// <summary>
    /// Lists every resource of <paramref name="kind"/> (null = all kinds) as Added, then a Synced marker, then every
    /// later change in resource-version order, never missing or repeating one. A watcher too slow to keep up is
    /// caught up from the change log (or re-listed as a diff, followed by another Synced) instead of buffering without bound.
    /// Ends when <paramref name="ct"/> is cancelled or the store is disposed.
    /// </summary>
    IAsyncEnumerable<ResourceChange> WatchAsync(string? kind, CancellationToken ct);

    /// <summary>
    /// Resumes a watch: replays every change after <paramref name="afterResourceVersion"/>, then Synced, then live changes.
    /// Throws <see cref="ExpiredResourceVersionException"/> when the change log no longer reaches back that far.
    /// </summary>
    IAsyncEnumerable<ResourceChange> WatchAsync(string? kind, long afterResourceVersion, CancellationToken ct);

    /// <summary>Appends an event; the oldest events of the same app are pruned beyond the configured count.</summary>
    Task<EventRecord> AppendEventAsync(NewEvent e, CancellationToken ct = default);

    Task<IReadOnlyList<EventRecord>> ListEventsAsync(EventQuery q, CancellationToken ct = default);

    /// <summary>The matching backlog (as <see cref="ListEventsAsync"/> with paging), then new events as they are appended.</summary>
    IAsyncEnumerable<EventRecord> FollowEventsAsync(EventQuery q, CancellationToken ct);

    Task<string?> GetSettingAsync(string key, CancellationToken ct = default);

    Task SetSettingAsync(string key, string value, CancellationToken ct = default);
}
