using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Server.Releases;

namespace Gantry.Server.Storage;

/// <summary>
/// Decides what release history to remove (pure: data in, data out). Per app the newest
/// <see cref="RetentionPolicy.KeepReleasesPerApp"/> releases stay, and so does, whatever its age, any release that is the
/// app's current one, live, warm, in progress, or the one `gantry rollback` would restore. An image goes only when no kept
/// release of any app, and no app's current state, references it: two apps running the same image share it.
/// </summary>
public static class RetentionPlanner
{
    public static RetentionPlan Plan(IReadOnlyList<AppReleases> apps, RetentionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(apps);
        ArgumentNullException.ThrowIfNull(policy);
        var pruned = new List<ReleaseEntry>();
        var kept = new List<ReleaseEntry>();
        var keptImages = new HashSet<string>(StringComparer.Ordinal);
        foreach (var app in apps)
        {
            var newestFirst = app.Releases.OrderByDescending(r => r.Record.Number).ToList();
            var keep = app.Spec is null ? null : Protected(app.Spec, app.Status, newestFirst);
            for (var i = 0; i < newestFirst.Count; i++)
            {
                var release = newestFirst[i];
                if (keep is null || i < policy.KeepReleasesPerApp || keep.Contains(release.Record.Number))
                {
                    kept.Add(release);
                }
                else
                {
                    pruned.Add(release);
                }
            }
            foreach (var service in app.Spec?.Services ?? [])
            {
                Add(keptImages, service.PinnedImage);
            }
            foreach (var service in app.Status?.Services ?? [])
            {
                Add(keptImages, service.ImageId);
            }
        }
        foreach (var release in kept)
        {
            keptImages.UnionWith(release.ImageIds);
        }

        var images = pruned
            .SelectMany(r => r.ImageIds.Select(id => (Id: id, Release: r.Name)))
            .Where(x => !keptImages.Contains(x.Id))
            .GroupBy(x => x.Id, StringComparer.Ordinal)
            .Select(g => new ImagePrune(g.Key, [.. g.Select(x => x.Release)]))
            .OrderBy(i => i.Id, StringComparer.Ordinal)
            .ToList();
        return new RetentionPlan([.. pruned.OrderBy(r => r.Record.App, StringComparer.Ordinal).ThenBy(r => r.Record.Number)], images) { Kept = kept, KeptImageIds = keptImages };
    }

    /// <summary>The release numbers of one app that stay whatever their age.</summary>
    public static HashSet<long> Protected(AppSpec spec, AppStatus? status, IReadOnlyList<ReleaseEntry> newestFirst)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(newestFirst);
        var keep = new HashSet<long> { spec.Release };
        if (status is not null)
        {
            keep.Add(status.Release);
            foreach (var service in status.Services)
            {
                AddNumber(keep, service.LiveRelease);
                AddNumber(keep, service.Warm?.Release);
                AddNumber(keep, service.Rollout?.Release);
            }
        }
        foreach (var release in newestFirst)
        {
            if (release.State.Phase is ReleasePhases.Live or ReleasePhases.Deploying or ReleasePhases.Pending)
            {
                keep.Add(release.Record.Number);
            }
        }
        // The target of a plain `gantry rollback`, chosen as ReleaseService chooses it when nothing is warm.
        if (newestFirst.FirstOrDefault(r => r.Record.Number < spec.Release && r.State.LiveAt is not null
                && r.State.Phase != ReleasePhases.Failed && !ReleaseService.SameState(r.Record.Spec, spec)) is { } target)
        {
            keep.Add(target.Record.Number);
        }
        return keep;
    }

    private static void AddNumber(HashSet<long> set, long? number)
    {
        if (number is { } n)
        {
            set.Add(n);
        }
    }

    private static void Add(HashSet<string> set, string? id)
    {
        if (!string.IsNullOrEmpty(id))
        {
            set.Add(id);
        }
    }
}
