using Gantry.Model.Api;
using Gantry.Model.Environments;
using Gantry.Model.Releases;
using Gantry.Server.Environments;

namespace Gantry.Server.Tests.Environments;

/// <summary>The pipeline view and the auto-promotion's decision (docs/decisions/0032), from builds and releases alone.</summary>
public sealed class PipelinesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private static PipelineRelease Release(long number, string commit, string phase, int minute, string cause = ReleaseCauses.GitPush) =>
        new(number, new ReleaseSource(commit, "main", "Tess <t@example.com>"), cause, phase, T0.AddMinutes(minute), "tess");

    private static PipelineEnvironment Staging(PromotionGate? gate, long current, params PipelineRelease[] releases) =>
        new("staging", "shop-staging", gate, current, releases);

    private static PipelineEnvironment Production(params PipelineRelease[] releases) =>
        new("production", "shop", null, releases.Length == 0 ? null : releases.Max(r => r.Number), releases);

    private static readonly PromotionGate Auto = new("production", PromotionGate.Auto);

    [Fact]
    public void ToPromote_LivePushNewerThanAnythingInTheTarget_IsPromoted()
    {
        var staging = Staging(Auto, 2, Release(1, A, ReleasePhases.Superseded, 0), Release(2, B, ReleasePhases.Live, 10));
        Assert.Equal(2, Pipelines.ToPromote(staging, Production(Release(1, A, ReleasePhases.Live, 5)))?.Number);
        Assert.Equal(2, Pipelines.ToPromote(staging, null)?.Number);
    }

    [Fact]
    public void ToPromote_NotLive_ARollback_OrTheTargetMovedSince_IsNot()
    {
        Assert.Null(Pipelines.ToPromote(Staging(Auto, 2, Release(2, B, ReleasePhases.Deploying, 10)), Production()));
        Assert.Null(Pipelines.ToPromote(Staging(Auto, 3, Release(3, A, ReleasePhases.Live, 10, ReleaseCauses.Rollback)), Production()));
        // Promoted already, or production was rolled back by hand after staging's release: a newer decision stands.
        Assert.Null(Pipelines.ToPromote(Staging(Auto, 2, Release(2, B, ReleasePhases.Live, 10)), Production(Release(2, B, ReleasePhases.Live, 11))));
        Assert.Null(Pipelines.ToPromote(Staging(Auto, 2, Release(2, B, ReleasePhases.Live, 10)), Production(Release(3, A, ReleasePhases.Live, 12, ReleaseCauses.Rollback))));
        Assert.Null(Pipelines.ToPromote(Staging(null, 2, Release(2, B, ReleasePhases.Live, 10)), Production()));
    }

    [Fact]
    public void Compose_EachCommitWithItsBuildAndReleases_NewestFirst_TheGateHoldingTheLiveOne()
    {
        var builds = new[]
        {
            new BuildView("shop", 1) { Commit = A, Branch = "main", State = BuildStates.Succeeded, QueuedAt = T0 },
            new BuildView("shop", 2) { Commit = B, Branch = "main", State = BuildStates.Succeeded, QueuedAt = T0.AddMinutes(9) },
            new BuildView("shop", 3) { Commit = "cccccccccccccccccccccccccccccccccccccccc", Branch = "main", State = BuildStates.Failed, Message = "test stage failed", QueuedAt = T0.AddMinutes(20) },
        };
        var approval = new PromotionGate("production", PromotionGate.Approval);
        var environments = new[]
        {
            Production(Release(1, A, ReleasePhases.Live, 5)),
            Staging(approval, 2, Release(1, A, ReleasePhases.Superseded, 1), Release(2, B, ReleasePhases.Live, 10)),
        };

        var runs = Pipelines.Compose(builds, environments);

        Assert.Equal(["cccccccccccccccccccccccccccccccccccccccc", B, A], runs.Select(r => r.Commit));
        Assert.Equal("test stage failed", runs[0].Message);
        Assert.Empty(runs[0].Stages);
        Assert.Equal(["staging r2 live"], runs[1].Stages.Select(s => $"{s.Environment} r{s.Release} {s.Phase}"));
        Assert.Equal(("production", PromotionGate.Approval), (runs[1].Next, runs[1].NextMode));
        // Staging before production: the gate's order, whatever order the environments came in.
        Assert.Equal(["staging r1 superseded", "production r1 live"], runs[2].Stages.Select(s => $"{s.Environment} r{s.Release} {s.Phase}"));
        Assert.Null(runs[2].Next);
        Assert.Equal(T0, runs[2].At);
    }
}
