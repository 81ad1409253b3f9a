using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Server.Apps;
using Gantry.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Server.Releases;

/// <summary>
/// The one way an app's desired state changes release: a deploy, a push, a rollback and the automatic
/// rollback all store a new numbered release first and then point the app at it.
/// </summary>
public sealed class ReleaseService(IResourceStore store, ReleaseBook book, TimeProvider time, ILogger<ReleaseService>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Stores <paramref name="spec"/> as the app's next release and makes it the app's desired state, in one write.</summary>
    /// <remarks>A concurrent write (the app's version moved, or another deploy took the number) aborts it: run it under <see cref="OptimisticRetry"/>.</remarks>
    public async Task<(ReleaseRecord Release, StoredResource App)> CommitAsync(AppSpec spec, string cause, string actor, long? rollbackOf = null, string? message = null,
        long? expectedVersion = null, CancellationToken ct = default)
    {
        var batch = new StoreBatch();
        var record = AddRelease(batch, spec, cause, actor, rollbackOf, message, expectedVersion, await book.ListAsync(spec.Name, ct).ConfigureAwait(false));
        var written = await store.CommitAsync(batch, ct).ConfigureAwait(false);
        return (record, written.Resources[AppWrite]!);
    }

    /// <summary>Where the app's own write stands in a batch <see cref="AddRelease"/> began.</summary>
    public const int AppWrite = 1;

    /// <summary>
    /// Adds to <paramref name="batch"/> the app's next release (numbered after <paramref name="releases"/>, its releases as just read),
    /// the app pointed at it (guarded by <paramref name="expectedVersion"/>), and the event that says so. The app's write is the
    /// batch's <see cref="AppWrite"/>th.
    /// </summary>
    public ReleaseRecord AddRelease(StoreBatch batch, AppSpec spec, string cause, string actor, long? rollbackOf, string? message, long? expectedVersion,
        IReadOnlyList<StoredRelease> releases, ReleaseSource? source = null)
    {
        var record = book.Draft(spec, cause, actor, rollbackOf, message, releases, source);
        ReleaseBook.Add(batch, record)
            .UpsertSpec(AppKinds.App, spec.Name, StoredApp.Json(record.Spec), expectedVersion)
            .AppendEvent(new NewEvent(AppKinds.App, spec.Name, EventTypes.Normal, EventReasons.ReleaseCreated,
                $"release {record.Number} ({cause}{(rollbackOf is { } of ? " of " + of : "")}) by {actor}{(source is null ? "" : $" from {source.Branch} {source.ShortCommit}")}{(message is null ? "" : ": " + message)}", spec.Name));
        return record;
    }

    /// <summary>
    /// Restores an earlier release as a new one: its configuration and exactly its images (by id), with
    /// today's replica counts. When that release's replicas are still warm the router swaps back at once.
    /// </summary>
    /// <remarks>
    /// Everything the rollback records (the new release, the app pointed at it, the current release marked rolled back, two
    /// events) is one store write: the controller's pass that swaps the routes starts as soon as it commits.
    /// </remarks>
    public Task<ChangeOutcome<RollbackResponse>> RollbackAsync(string app, long? to, string cause, string actor, string? reason, CancellationToken ct) =>
        OptimisticRetry.RunAsync(() => TryRollbackAsync(app, to, cause, actor, reason, ct));

    /// <summary>
    /// What <see cref="RollbackAsync"/> would do now, changing nothing: which release it restores and whether its replicas are
    /// still warm (traffic swaps back at once) or must be started again; or why it would be refused.
    /// </summary>
    public async Task<ChangeOutcome<RollbackPreview>> PreviewRollbackAsync(string app, long? to, CancellationToken ct)
    {
        var (plan, refusal) = await PlanAsync(app, to, ct).ConfigureAwait(false);
        return plan is null
            ? new ChangeOutcome<RollbackPreview>(refusal!.Kind, null, refusal.Errors, refusal.Reason)
            : ChangeOutcome<RollbackPreview>.Accepted(new RollbackPreview(app, plan.Stored.Spec.Release, plan.Target.Record.Number, plan.Warm) { Message = plan.Message });
    }

    private async Task<ChangeOutcome<RollbackResponse>> TryRollbackAsync(string app, long? to, string cause, string actor, string? reason, CancellationToken ct)
    {
        var (plan, refusal) = await PlanAsync(app, to, ct).ConfigureAwait(false);
        if (plan is null)
        {
            return refusal!;
        }
        var (stored, releases, target, restored, warm) = (plan.Stored, plan.Releases, plan.Target, plan.Restored, plan.Warm);
        var current = stored.Spec;
        var message = reason ?? plan.Message;
        var batch = new StoreBatch();
        // The restored release's commit comes back with its files and images: the release runs that commit again.
        var record = AddRelease(batch, restored, cause, actor, target.Record.Number, message, stored.Resource.ResourceVersion, releases, target.Record.Source);
        if (releases.FirstOrDefault(r => r.Record.Number == current.Release) is { } replaced)
        {
            var now = time.GetUtcNow();
            ReleaseBook.ChangeState(batch, replaced, s => s with
            {
                Phase = ReleasePhases.RolledBack,
                EndedAt = s.EndedAt ?? now,
                Reason = reason ?? $"rolled back to release {target.Record.Number} by {actor}",
            });
        }
        var automatic = cause == ReleaseCauses.AutoRollback;
        batch.AppendEvent(new NewEvent(AppKinds.App, app, automatic ? EventTypes.Warning : EventTypes.Normal,
            automatic ? EventReasons.AutoRollback : EventReasons.RollbackStarted,
            $"rolling back {app} from release {current.Release} to release {target.Record.Number} as release {record.Number}{(reason is null ? "" : ": " + reason)}", app));
        var written = (await store.CommitAsync(batch, ct).ConfigureAwait(false)).Resources[AppWrite]!;
        ReleaseLog.RolledBack(_logger, app, current.Release, target.Record.Number, record.Number, warm);
        return ChangeOutcome<RollbackResponse>.Accepted(new RollbackResponse(app, record.Number, target.Record.Number, warm, written.Generation) { Message = message });
    }

    /// <summary>The decision a rollback and its preview share: the release to restore, restored how, and whether it is warm.</summary>
    private async Task<(RollbackPlan? Plan, ChangeOutcome<RollbackResponse>? Refusal)> PlanAsync(string app, long? to, CancellationToken ct)
    {
        var stored = await store.GetAppAsync(app, ct).ConfigureAwait(false);
        if (stored is null || stored.IsBeingDeleted)
        {
            return (null, ChangeOutcome<RollbackResponse>.Missing($"app '{app}' does not exist"));
        }
        var current = stored.Spec;
        var status = stored.Status ?? new AppStatus();
        var releases = await book.ListAsync(app, ct).ConfigureAwait(false);

        StoredRelease? target;
        if (to is { } number)
        {
            target = releases.FirstOrDefault(r => r.Record.Number == number);
            if (target is null)
            {
                return (null, ChangeOutcome<RollbackResponse>.Missing($"app '{app}' has no release {number}; 'gantry releases {app}' lists them"));
            }
            if (number == current.Release)
            {
                return (null, ChangeOutcome<RollbackResponse>.Conflict($"release {number} is the current release of '{app}'"));
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
                return (null, ChangeOutcome<RollbackResponse>.Conflict($"'{app}' has no earlier release that served traffic to roll back to"));
            }
        }

        var restored = Restore(target, current);
        // An old release may route a host another app has declared since: routes are owned, a rollback cannot take one over.
        var taken = Routing.RouteOwnership.Check(restored, (await store.ListOtherAppsAsync(app, ct).ConfigureAwait(false)).Select(a => a.Spec).ToList());
        if (taken.Count > 0)
        {
            return (null, ChangeOutcome<RollbackResponse>.Refused($"release {target.Record.Number} of '{app}' cannot be restored: " +
                string.Join("; ", taken.Select(c => c.ToString()))));
        }
        var warm = restored.Services.Any(s => status.Services.FirstOrDefault(x => x.Name == s.Name)?.Warm is { } w
            && releases.FirstOrDefault(r => r.Record.Number == w.Release) is { } warmRelease && SameState(warmRelease.Record.Spec, target.Record.Spec));
        var message = warm ? $"restores release {target.Record.Number} (its replicas are warm: traffic swaps back)" : $"restores release {target.Record.Number}";
        return (new RollbackPlan(stored, releases, target, restored, warm, message), null);
    }

    private sealed record RollbackPlan(StoredApp Stored, IReadOnlyList<StoredRelease> Releases, StoredRelease Target, AppSpec Restored, bool Warm, string Message);

    /// <summary>The target release's state, pinned to the image ids (and on a cluster the digests) it ran, at today's replica counts (scale is not part of a release).</summary>
    private static AppSpec Restore(StoredRelease target, AppSpec current)
    {
        var spec = target.Record.Spec;
        return spec with
        {
            Services = spec.Services.Select(s => s with
            {
                PinnedImage = target.State.ImageIds.GetValueOrDefault(s.Name) ?? s.PinnedImage,
                // On a cluster, the digest its Swarm service named: the nodes pull exactly those bytes (docs/decisions/0030).
                PinnedDigest = target.State.ImageDigests.GetValueOrDefault(s.Name) ?? s.PinnedDigest,
                Replicas = current.FindService(s.Name)?.Replicas ?? s.Replicas,
                // The set count goes with the count (docs/decisions/0034): the warm set of a release whose service was scaled in on a
                // cluster before the next deploy runs at the count the app has now.
                Incarnation = current.FindService(s.Name)?.Incarnation ?? s.Incarnation,
            }).ToList(),
        };
    }

    /// <summary>Two releases describe the same state (release numbers, pins and scale, with a cluster's fresh sets, aside).</summary>
    public static bool SameState(AppSpec a, AppSpec b) =>
        Normalize(a) == Normalize(b);

    private static string Normalize(AppSpec spec) => JsonSerializer.Serialize(spec with
    {
        Release = 0,
        Services = spec.Services.Select(s => s with { Replicas = 0, Incarnation = 0, PinnedImage = null, PinnedDigest = null }).ToList(),
    }, ModelJsonContext.Default.AppSpec);
}

internal static partial class ReleaseLog
{
    [LoggerMessage(4101, LogLevel.Information, "Rolled back {App} from release {From} to release {Target} as release {Release} (warm: {Warm})")]
    public static partial void RolledBack(ILogger logger, string app, long from, long target, long release, bool warm);
}
