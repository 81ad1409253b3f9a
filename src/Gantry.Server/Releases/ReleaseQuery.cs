using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Store;

namespace Gantry.Server.Releases;

/// <summary>
/// The read views of an app's releases: `GET /api/v1/apps/{app}/releases[/{n}]` and the console's Releases page both ask
/// here, so they show the same releases with the same masked diffs (<see cref="ReleaseDiff"/>).
/// </summary>
public sealed class ReleaseQuery(IResourceStore store, ReleaseBook book)
{
    /// <summary>The app's releases, newest first; null when the app does not exist.</summary>
    /// <param name="withChanges">Each release with its diff against the one made just before it (the API's list leaves them out).</param>
    public async Task<IReadOnlyList<ReleaseView>?> ListAsync(string app, bool withChanges, CancellationToken ct)
    {
        if (await CurrentReleaseAsync(app, ct).ConfigureAwait(false) is not { } current)
        {
            return null;
        }
        var releases = await book.ListAsync(app, ct).ConfigureAwait(false);
        return releases.Select((r, i) => View(r, current, withChanges ? Changes(releases, i) : null)).ToList();
    }

    /// <summary>One release with its diff against the one made just before it (that is what it changed).</summary>
    /// <returns>Found false when the app does not exist; a null view when it has no such release.</returns>
    public async Task<(bool AppFound, ReleaseView? Release)> GetAsync(string app, long number, CancellationToken ct)
    {
        if (await CurrentReleaseAsync(app, ct).ConfigureAwait(false) is not { } current)
        {
            return (false, null);
        }
        var releases = await book.ListAsync(app, ct).ConfigureAwait(false);
        var index = releases.ToList().FindIndex(r => r.Record.Number == number);
        return (true, index < 0 ? null : View(releases[index], current, Changes(releases, index)));
    }

    /// <summary>The diff of the release at <paramref name="index"/> (newest first) against the next older one; everything for the first.</summary>
    private static IReadOnlyList<ReleaseChange> Changes(IReadOnlyList<StoredRelease> newestFirst, int index) =>
        ReleaseDiff.Compute(index + 1 < newestFirst.Count ? newestFirst[index + 1].Record.Spec : null, newestFirst[index].Record.Spec);

    private async Task<long?> CurrentReleaseAsync(string app, CancellationToken ct) =>
        (await store.GetAppAsync(app, ct).ConfigureAwait(false))?.Spec.Release;

    private static ReleaseView View(StoredRelease release, long current, IReadOnlyList<ReleaseChange>? changes) =>
        new(release.Record.App, release.Record.Number)
        {
            Cause = release.Record.Cause,
            RollbackOf = release.Record.RollbackOf,
            CreatedAt = release.Record.CreatedAt,
            CreatedBy = release.Record.CreatedBy,
            Phase = release.State.Phase,
            Current = release.Record.Number == current,
            LiveAt = release.State.LiveAt,
            EndedAt = release.State.EndedAt,
            Message = release.Record.Message,
            Reason = release.State.Reason,
            Commit = release.Record.Source?.Commit,
            Branch = release.Record.Source?.Branch,
            Author = release.Record.Source?.Author,
            SecretVersions = release.Record.Spec.Secrets.Any(x => x.Version is not null)
                ? release.Record.Spec.Secrets.Where(x => x.Version is not null).ToDictionary(x => x.Name, x => x.Version!.Value, StringComparer.Ordinal)
                : null,
            Services = release.Record.Spec.Services.Select(s => new ReleaseServiceView(s.Name, s.Image ?? (s.Build is null ? null : "(built)"),
                release.State.ImageIds.GetValueOrDefault(s.Name) ?? s.PinnedImage, s.Replicas,
                (s.Release?.Strategy ?? ReleaseStrategy.Rolling) switch { ReleaseStrategy.BlueGreen => "blue-green", ReleaseStrategy.Recreate => "recreate", _ => "rolling" })
            {
                ImageDigest = release.State.ImageDigests.GetValueOrDefault(s.Name) ?? s.PinnedDigest,
            }).ToList(),
            Changes = changes,
        };
}
