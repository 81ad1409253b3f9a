using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Server.Storage;

namespace Gantry.Server.Tests.Storage;

public sealed class RetentionPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly RetentionPolicy KeepThree = new() { KeepReleasesPerApp = 3 };

    /// <summary>Release n of the app runs image "sha256:{app}-{n}" and differs from the others in one variable.</summary>
    private static ReleaseEntry Release(long n, string phase = ReleasePhases.Superseded, bool wentLive = true, string app = "shop", string? image = null) => new(
        new ReleaseRecord
        {
            App = app,
            Number = n,
            Spec = Spec(app, n),
            CreatedAt = T0.AddMinutes(n),
        },
        new ReleaseState
        {
            Phase = phase,
            LiveAt = wentLive ? T0.AddMinutes(n) : null,
            ImageIds = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["web"] = image ?? $"sha256:{app}-{n}" },
        });

    private static AppSpec Spec(string app, long release) => new()
    {
        Name = app,
        Release = release,
        Services = [new ServiceSpec { Name = "web", Image = "web:1", Environment = new SortedDictionary<string, string?>(StringComparer.Ordinal) { ["V"] = release.ToString(System.Globalization.CultureInfo.InvariantCulture) } }],
    };

    private static AppStatus Status(long release, long? warm = null) => new()
    {
        Release = release,
        Services = [new ServiceStatus("web") { LiveRelease = release, ImageId = $"sha256:shop-{release}", Warm = warm is { } w ? new WarmSet("hash", w, T0.AddHours(1)) : null }],
    };

    private static AppReleases Shop(long current, AppStatus? status, params ReleaseEntry[] releases) => new("shop", Spec("shop", current), status, releases);

    [Fact]
    public void Plan_FewerReleasesThanKept_PrunesNothing()
    {
        var plan = RetentionPlanner.Plan([Shop(3, Status(3), Release(1), Release(2), Release(3, ReleasePhases.Live))], KeepThree);

        Assert.Empty(plan.Releases);
        Assert.Empty(plan.Images);
    }

    [Fact]
    public void Plan_OldSupersededReleases_PrunedWithTheirImages()
    {
        var releases = Enumerable.Range(1, 7).Select(n => Release(n)).Append(Release(8, ReleasePhases.Live)).ToArray();

        var plan = RetentionPlanner.Plan([Shop(8, Status(8), releases)], KeepThree);

        // 6, 7, 8 are the newest three; 7 is also the rollback target. 1-5 go, and so do their images.
        Assert.Equal([1L, 2, 3, 4, 5], plan.Releases.Select(r => r.Record.Number));
        Assert.Equal(["sha256:shop-1", "sha256:shop-2", "sha256:shop-3", "sha256:shop-4", "sha256:shop-5"], plan.Images.Select(i => i.Id));
        Assert.Equal(["shop.3"], plan.Images.Single(i => i.Id == "sha256:shop-3").Releases);
    }

    [Fact]
    public void Plan_LiveWarmAndRollbackTargetOutsideTheNewest_AreNeverPruned()
    {
        // Release 2 is live and the rollback target (the newer ones failed before going live), 1 is still warm.
        var failed = Enumerable.Range(3, 7).Select(n => Release(n, ReleasePhases.Failed, wentLive: false));
        var releases = new[] { Release(1), Release(2, ReleasePhases.Live) }.Concat(failed).ToArray();
        var status = Status(2, warm: 1);

        var plan = RetentionPlanner.Plan([Shop(9, status, releases)], KeepThree);

        Assert.Equal([3L, 4, 5, 6], plan.Releases.Select(r => r.Record.Number));
        Assert.DoesNotContain(plan.Releases, r => r.Record.Number is 1 or 2);
        Assert.DoesNotContain(plan.Images, i => i.Id is "sha256:shop-1" or "sha256:shop-2");
    }

    [Fact]
    public void Plan_RollbackTarget_KeptWhenNotWarm()
    {
        // Current is 10 (live); 4 was the last one live before it (5-9 never went live): `gantry rollback` restores 4.
        var releases = new List<ReleaseEntry> { Release(1), Release(2), Release(3), Release(4) };
        releases.AddRange(Enumerable.Range(5, 5).Select(n => Release(n, ReleasePhases.Failed, wentLive: false)));
        releases.Add(Release(10, ReleasePhases.Live));

        var plan = RetentionPlanner.Plan([Shop(10, Status(10), [.. releases])], KeepThree);

        Assert.Equal([1L, 2, 3, 5, 6, 7], plan.Releases.Select(r => r.Record.Number));
    }

    [Fact]
    public void Plan_InProgressRelease_IsKept()
    {
        var releases = new[] { Release(1, ReleasePhases.Deploying, wentLive: false), Release(2), Release(3), Release(4), Release(5, ReleasePhases.Live) };

        var plan = RetentionPlanner.Plan([Shop(5, Status(5), releases)], KeepThree);

        Assert.Equal([2L], plan.Releases.Select(r => r.Record.Number));
    }

    [Fact]
    public void Plan_ImageStillReferencedByAKeptReleaseOrAnotherApp_IsNotPruned()
    {
        var shop = new[] { Release(1, image: "sha256:shared"), Release(2, image: "sha256:reused"), Release(3), Release(4, image: "sha256:reused"), Release(5, ReleasePhases.Live) };
        var blog = new AppReleases("blog", Spec("blog", 1), null, [Release(1, ReleasePhases.Live, app: "blog", image: "sha256:shared")]);

        var plan = RetentionPlanner.Plan([Shop(5, Status(5), shop), blog], KeepThree);

        Assert.Equal([1L, 2], plan.Releases.Select(r => r.Record.Number));
        Assert.Empty(plan.Images);
        Assert.Contains("sha256:shared", plan.KeptImageIds);
    }

    [Fact]
    public void Plan_ImageTheAppRunsNow_IsNotPruned()
    {
        var releases = new[] { Release(1), Release(2), Release(3), Release(4), Release(5, ReleasePhases.Live) };
        var status = Status(5) with { Services = [new ServiceStatus("web") { LiveRelease = 5, ImageId = "sha256:shop-1" }] };

        var plan = RetentionPlanner.Plan([Shop(5, status, releases)], KeepThree);

        Assert.Equal([1L, 2], plan.Releases.Select(r => r.Record.Number));
        Assert.Equal(["sha256:shop-2"], plan.Images.Select(i => i.Id));
    }

    [Fact]
    public void Plan_AppMissingOrBeingDeleted_KeepsAllItsReleases()
    {
        var orphan = new AppReleases("gone", null, null, [.. Enumerable.Range(1, 20).Select(n => Release(n, app: "gone"))]);

        var plan = RetentionPlanner.Plan([orphan], KeepThree);

        Assert.Empty(plan.Releases);
        Assert.Equal(20, plan.Kept.Count);
    }
}
