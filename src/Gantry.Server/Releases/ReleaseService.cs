using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Store;

namespace Gantry.Server.Releases;

/// <summary>
/// The one way an app's desired state changes release: a deploy, a push, a rollback and the automatic
/// rollback all store a new numbered release first and then point the app at it.
/// </summary>
public sealed class ReleaseService(IResourceStore store, ReleaseBook book, TimeProvider time)
{
    /// <summary>Stores <paramref name="spec"/> as the app's next release and makes it the app's desired state.</summary>
    public async Task<(ReleaseRecord Release, StoredResource App)> CommitAsync(AppSpec spec, string cause, string actor, long? rollbackOf = null, string? message = null,
        long? expectedVersion = null, CancellationToken ct = default)
    {
        var record = await book.CreateAsync(spec, cause, actor, rollbackOf, message, ct).ConfigureAwait(false);
        var stored = await store.UpsertSpecAsync(AppKinds.App, spec.Name, JsonSerializer.Serialize(record.Spec, ModelJsonContext.Default.AppSpec), expectedVersion, ct).ConfigureAwait(false);
        await store.AppendEventAsync(new NewEvent(AppKinds.App, spec.Name, "Normal", EventReasons.ReleaseCreated,
            $"release {record.Number} ({cause}{(rollbackOf is { } of ? " of " + of : "")}) by {actor}{(message is null ? "" : ": " + message)}", spec.Name), ct).ConfigureAwait(false);
        return (record, stored);
    }

    /// <summary>
    /// Restores an earlier release as a new one: its configuration and exactly its images (by id), with
    /// today's replica counts. When that release's replicas are still warm the router swaps back at once.
    /// </summary>
    public async Task<RollbackOutcome> RollbackAsync(string app, long? to, string cause, string actor, string? reason, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryRollbackAsync(app, to, cause, actor, reason, ct).ConfigureAwait(false);
            }
            catch (ConcurrencyException) when (attempt < 10)
            {
                // The controller wrote status in between: read again.
            }
        }
    }

    private async Task<RollbackOutcome> TryRollbackAsync(string app, long? to, string cause, string actor, string? reason, CancellationToken ct)
    {
        var resource = await store.GetAsync(AppKinds.App, app, ct).ConfigureAwait(false);
        if (resource is null || resource.DeletionRequestedAt is not null)
        {
            return RollbackOutcome.Fail(404, $"app '{app}' does not exist");
        }
        var current = JsonSerializer.Deserialize(resource.SpecJson, ModelJsonContext.Default.AppSpec)!;
        var status = resource.StatusJson is null ? new AppStatus() : JsonSerializer.Deserialize(resource.StatusJson, ModelJsonContext.Default.AppStatus)!;
        var releases = await book.ListAsync(app, ct).ConfigureAwait(false);

        StoredRelease? target;
        if (to is { } number)
        {
            target = releases.FirstOrDefault(r => r.Record.Number == number);
            if (target is null)
            {
                return RollbackOutcome.Fail(404, $"app '{app}' has no release {number}; 'gantry releases {app}' lists them");
            }
            if (number == current.Release)
            {
                return RollbackOutcome.Fail(409, $"release {number} is the current release of '{app}'");
            }
        }
        else
        {
            // The release that served before the current one: the newest earlier one that went live.
            var liveBefore = status.Services.Select(s => s.Warm?.Release).FirstOrDefault(r => r is > 0 && r != current.Release);
            target = releases.FirstOrDefault(r => r.Record.Number == liveBefore)
                ?? releases.FirstOrDefault(r => r.Record.Number < current.Release && r.State.LiveAt is not null && r.State.Phase != ReleasePhases.Failed && !SameState(r.Record.Spec, current));
            if (target is null)
            {
                return RollbackOutcome.Fail(409, $"'{app}' has no earlier release that served traffic to roll back to");
            }
        }

        var restored = Restore(target, current);
        // An old release may route a host another app has declared since: routes are owned, a rollback cannot take one over.
        var taken = Routing.RouteOwnership.Check(restored, await OtherAppsAsync(app, ct).ConfigureAwait(false));
        if (taken.Count > 0)
        {
            return RollbackOutcome.Fail(409, $"release {target.Record.Number} of '{app}' cannot be restored: " +
                string.Join("; ", taken.Select(c => c.ToString())));
        }
        var warm = restored.Services.Any(s => status.Services.FirstOrDefault(x => x.Name == s.Name)?.Warm is { } w
            && releases.FirstOrDefault(r => r.Record.Number == w.Release) is { } warmRelease && SameState(warmRelease.Record.Spec, target.Record.Spec));
        var message = reason ?? (warm ? $"restores release {target.Record.Number} (its replicas are warm: traffic swaps back)" : $"restores release {target.Record.Number}");
        var (record, stored) = await CommitAsync(restored, cause, actor, target.Record.Number, message, resource.ResourceVersion, ct).ConfigureAwait(false);
        if (current.Release > 0)
        {
            var now = time.GetUtcNow();
            await book.UpdateStateAsync(app, current.Release, s => s with
            {
                Phase = ReleasePhases.RolledBack,
                EndedAt = s.EndedAt ?? now,
                Reason = reason ?? $"rolled back to release {target.Record.Number} by {actor}",
            }, ct).ConfigureAwait(false);
        }
        await store.AppendEventAsync(new NewEvent(AppKinds.App, app, cause == ReleaseCauses.AutoRollback ? "Warning" : "Normal",
            cause == ReleaseCauses.AutoRollback ? EventReasons.AutoRollback : EventReasons.RollbackStarted,
            $"rolling back {app} from release {current.Release} to release {target.Record.Number} as release {record.Number}{(reason is null ? "" : ": " + reason)}", app), ct).ConfigureAwait(false);
        return RollbackOutcome.Ok(new RollbackResponse(app, record.Number, target.Record.Number, warm, stored.Generation) { Message = message });
    }

    /// <summary>Every other app's desired state, oldest first (the order in which they own their routes).</summary>
    private async Task<List<AppSpec>> OtherAppsAsync(string app, CancellationToken ct) =>
        (await store.ListAsync(AppKinds.App, ct).ConfigureAwait(false))
            .Where(r => r.Name != app && r.DeletionRequestedAt is null)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => JsonSerializer.Deserialize(r.SpecJson, ModelJsonContext.Default.AppSpec)!)
            .ToList();

    /// <summary>The target release's state, pinned to the image ids it ran, at today's replica counts (scale is not part of a release).</summary>
    private static AppSpec Restore(StoredRelease target, AppSpec current)
    {
        var spec = target.Record.Spec;
        return spec with
        {
            Services = spec.Services.Select(s => s with
            {
                PinnedImage = target.State.ImageIds.GetValueOrDefault(s.Name) ?? s.PinnedImage,
                Replicas = current.FindService(s.Name)?.Replicas ?? s.Replicas,
            }).ToList(),
        };
    }

    /// <summary>Two releases describe the same state (release numbers, pins and scale aside).</summary>
    public static bool SameState(AppSpec a, AppSpec b) =>
        Normalize(a) == Normalize(b);

    private static string Normalize(AppSpec spec) => JsonSerializer.Serialize(spec with
    {
        Release = 0,
        Services = spec.Services.Select(s => s with { Replicas = 0, PinnedImage = null }).ToList(),
    }, ModelJsonContext.Default.AppSpec);
}

/// <summary>A rollback's result: the new release, or an HTTP status with the reason.</summary>
public sealed record RollbackOutcome(RollbackResponse? Response, int Status, string? Error)
{
    public static RollbackOutcome Ok(RollbackResponse response) => new(response, 202, null);

    public static RollbackOutcome Fail(int status, string error) => new(null, status, error);
}
