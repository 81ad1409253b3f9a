using System.Globalization;
using System.Text.Json;
using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Store;

namespace Gantry.Controllers.Releases;

/// <summary>
/// The store's numbered, immutable releases of each app (kind "Release", named `{app}.{number}`): the deploy
/// path writes one per change, rollbacks read them, and the controller records what became of them.
/// </summary>
public sealed class ReleaseBook(IResourceStore store, TimeProvider time)
{
    public const string Kind = "Release";

    /// <summary>Stores the next release of the app with this desired state; returns it with its number set (also in the spec).</summary>
    public Task<ReleaseRecord> CreateAsync(AppSpec spec, string cause, string createdBy, long? rollbackOf = null, string? message = null, CancellationToken ct = default) =>
        OptimisticRetry.RunAsync(async () =>
        {
            var record = Draft(spec, cause, createdBy, rollbackOf, message, await ListAsync(spec.Name, ct).ConfigureAwait(false));
            await store.CommitAsync(Add(new StoreBatch(), record), ct).ConfigureAwait(false);
            return record;
        });

    /// <summary>
    /// The next release of the app with this desired state, numbered after the newest of <paramref name="existing"/> (the app's
    /// releases as just read, newest first). Nothing is written: add it to a batch with <see cref="Add"/>; a concurrent deploy
    /// that took the number makes the batch fail with a <see cref="ConflictException"/> that <see cref="OptimisticRetry"/> retries.
    /// </summary>
    public ReleaseRecord Draft(AppSpec spec, string cause, string createdBy, long? rollbackOf, string? message, IReadOnlyList<StoredRelease> existing,
        ReleaseSource? source = null)
    {
        var number = existing.Count == 0 ? 1 : existing[0].Record.Number + 1;
        return new ReleaseRecord
        {
            App = spec.Name,
            Number = number,
            Spec = spec with { Release = number },
            Cause = cause,
            RollbackOf = rollbackOf,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
            Message = message,
            Source = source,
        };
    }

    /// <summary>Adds the creation of <paramref name="record"/> to <paramref name="batch"/>.</summary>
    public static StoreBatch Add(StoreBatch batch, ReleaseRecord record) =>
        batch.Create(Kind, ReleaseRecord.NameOf(record.App, record.Number), Json(record));

    public static string Json(ReleaseRecord record) => JsonSerializer.Serialize(record, ModelJsonContext.Default.ReleaseRecord);

    /// <summary>Adds a change of what is recorded about <paramref name="release"/> to <paramref name="batch"/>, guarded by the version read; nothing when it changes nothing.</summary>
    public static StoreBatch ChangeState(StoreBatch batch, StoredRelease release, Func<ReleaseState, ReleaseState> change)
    {
        var next = change(release.State);
        return next == release.State || Same(next, release.State)
            ? batch
            : batch.UpdateStatus(Kind, release.Resource.Name, JsonSerializer.Serialize(next, ModelJsonContext.Default.ReleaseState),
                release.Resource.Generation, release.Resource.ResourceVersion);
    }

    /// <summary>The app's releases, newest first.</summary>
    public async Task<IReadOnlyList<StoredRelease>> ListAsync(string app, CancellationToken ct = default)
    {
        var prefix = app + ".";
        var releases = new List<StoredRelease>();
        foreach (var resource in await store.ListAsync(Kind, ct).ConfigureAwait(false))
        {
            if (resource.Name.StartsWith(prefix, StringComparison.Ordinal) && long.TryParse(resource.Name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                releases.Add(StoredRelease.From(resource));
            }
        }
        releases.Sort((a, b) => b.Record.Number.CompareTo(a.Record.Number));
        return releases;
    }

    public async Task<StoredRelease?> GetAsync(string app, long number, CancellationToken ct = default)
    {
        var resource = await store.GetAsync(Kind, ReleaseRecord.NameOf(app, number), ct).ConfigureAwait(false);
        return resource is null ? null : StoredRelease.From(resource);
    }

    /// <summary>Changes what is recorded about a release (its phase, image ids); a missing release is ignored.</summary>
    public Task UpdateStateAsync(string app, long number, Func<ReleaseState, ReleaseState> change, CancellationToken ct = default) =>
        OptimisticRetry.RunAsync(async () =>
        {
            if (await GetAsync(app, number, ct).ConfigureAwait(false) is not { } current)
            {
                return;
            }
            var batch = ChangeState(new StoreBatch(), current, change);
            if (batch.Writes.Count == 0)
            {
                return;
            }
            try
            {
                await store.CommitAsync(batch, ct).ConfigureAwait(false);
            }
            catch (NotFoundException)
            {
                // Deleted in between (the app went, or retention): nothing left to record.
            }
        });

    /// <summary>Adds the deletion of every release of <paramref name="app"/> to <paramref name="batch"/> (when the app goes).</summary>
    public async Task<StoreBatch> DeleteAllAsync(StoreBatch batch, string app, CancellationToken ct = default)
    {
        foreach (var release in await ListAsync(app, ct).ConfigureAwait(false))
        {
            batch.Delete(Kind, release.Resource.Name);
        }
        return batch;
    }

    private static bool Same(ReleaseState a, ReleaseState b) =>
        JsonSerializer.Serialize(a, ModelJsonContext.Default.ReleaseState) == JsonSerializer.Serialize(b, ModelJsonContext.Default.ReleaseState);
}

/// <summary>A release as stored: its record, what became of it, and the store's bookkeeping.</summary>
public sealed record StoredRelease(ReleaseRecord Record, ReleaseState State, StoredResource Resource)
{
    public static StoredRelease From(StoredResource resource) => new(
        JsonSerializer.Deserialize(resource.SpecJson, ModelJsonContext.Default.ReleaseRecord)!,
        resource.StatusJson is null ? new ReleaseState() : JsonSerializer.Deserialize(resource.StatusJson, ModelJsonContext.Default.ReleaseState)!,
        resource);
}
