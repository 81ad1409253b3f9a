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

    /// <summary>Releases kept per app; older ones are deleted when a new one is made (never the live one).</summary>
    public int Keep { get; init; } = 50;

    /// <summary>Stores the next release of the app with this desired state; returns it with its number set (also in the spec).</summary>
    public async Task<ReleaseRecord> CreateAsync(AppSpec spec, string cause, string createdBy, long? rollbackOf = null, string? message = null, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await ListAsync(spec.Name, ct).ConfigureAwait(false);
            var number = existing.Count == 0 ? 1 : existing[0].Record.Number + 1;
            var record = new ReleaseRecord
            {
                App = spec.Name,
                Number = number,
                Spec = spec with { Release = number },
                Cause = cause,
                RollbackOf = rollbackOf,
                CreatedAt = time.GetUtcNow(),
                CreatedBy = createdBy,
                Message = message,
            };
            try
            {
                await store.CreateAsync(Kind, ReleaseRecord.NameOf(spec.Name, number), JsonSerializer.Serialize(record, ModelJsonContext.Default.ReleaseRecord), ct).ConfigureAwait(false);
            }
            catch (ConflictException) when (attempt < 5)
            {
                continue; // a concurrent deploy took the number
            }
            await PruneAsync(existing, ct).ConfigureAwait(false);
            return record;
        }
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
    public async Task UpdateStateAsync(string app, long number, Func<ReleaseState, ReleaseState> change, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync(app, number, ct).ConfigureAwait(false);
            if (current is null)
            {
                return;
            }
            var next = change(current.State);
            if (next == current.State || Same(next, current.State))
            {
                return;
            }
            try
            {
                await store.UpdateStatusAsync(Kind, current.Resource.Name, JsonSerializer.Serialize(next, ModelJsonContext.Default.ReleaseState),
                    current.Resource.Generation, current.Resource.ResourceVersion, ct).ConfigureAwait(false);
                return;
            }
            catch (ConcurrencyException) when (attempt < 10)
            {
            }
            catch (NotFoundException)
            {
                return;
            }
        }
    }

    /// <summary>Deletes every release of an app (after the app is removed).</summary>
    public async Task DeleteAllAsync(string app, CancellationToken ct = default)
    {
        foreach (var release in await ListAsync(app, ct).ConfigureAwait(false))
        {
            await store.DeleteAsync(Kind, release.Resource.Name, null, ct).ConfigureAwait(false);
        }
    }

    private async Task PruneAsync(IReadOnlyList<StoredRelease> existing, CancellationToken ct)
    {
        // existing is newest first and does not hold the release just made.
        foreach (var old in existing.Skip(Keep - 1).Where(r => r.State.Phase != ReleasePhases.Live))
        {
            await store.DeleteAsync(Kind, old.Resource.Name, null, ct).ConfigureAwait(false);
        }
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
