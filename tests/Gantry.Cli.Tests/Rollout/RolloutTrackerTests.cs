using Gantry.Cli.Rollout;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;
using Gantry.Model.Status;

namespace Gantry.Cli.Tests.Rollout;

public sealed class RolloutTrackerTests
{
    [Fact]
    public void Lines_EventsBeforeTheGenerationIsObserved_CountReplicasFromEvents()
    {
        var tracker = new RolloutTracker(2);
        tracker.Observe(Samples.App("shop", AppPhase.Running, 2, 1, running: 1, healthy: 1));

        tracker.Observe(Samples.Event(1, EventReasons.ImageBuilding, replica: null));
        tracker.Observe(Samples.Event(2, EventReasons.ReplicaCreated, replica: "shop-web-1-new"));

        var line = Assert.Single(tracker.Lines());
        Assert.Equal("web", line.Key);
        Assert.Equal("web   building image   created 1/1   started 0/1   healthy 0/1", line.Value);
        Assert.Null(tracker.Outcome());
    }

    [Fact]
    public void Lines_ReplicaExitedAfterStart_DropsItFromStartedAndHealthy()
    {
        var tracker = new RolloutTracker(1);

        tracker.Observe(Samples.Event(1, EventReasons.ReplicaHealthy));
        tracker.Observe(Samples.Event(2, EventReasons.ReplicaExited, "Warning"));

        Assert.Contains("created 1/0   started 0/0   healthy 0/0", Assert.Single(tracker.Lines()).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_WarningEvent_ReturnsALineToPrintAndNormalReturnsNull()
    {
        var tracker = new RolloutTracker(1);

        Assert.Null(tracker.Observe(Samples.Event(1, EventReasons.ReplicaStarted)));
        Assert.Equal("warning: shop-web-1-abcdef12: ReplicaOomKilled: killed at 64 MiB",
            tracker.Observe(Samples.Event(2, EventReasons.ReplicaOomKilled, "Warning", "killed at 64 MiB")));
        Assert.Equal("warning: DeployRefused: not enough memory",
            tracker.Observe(Samples.Event(3, EventReasons.DeployRefused, "Warning", "not enough memory", service: null, replica: null)));
    }

    [Fact]
    public void Outcome_FailedOfAnOlderGeneration_IsNotTheEnd()
    {
        var tracker = new RolloutTracker(4);

        tracker.Observe(Samples.App("shop", AppPhase.Failed, 4, 3, message: "old failure"));

        Assert.Null(tracker.Outcome());
    }

    [Fact]
    public void Outcome_ObservedGeneration_RunningSucceedsAndFailedCarriesTheMessage()
    {
        var running = new RolloutTracker(4);
        var failed = new RolloutTracker(4);

        running.Observe(Samples.App("shop", AppPhase.Running, 4, 4, running: 1, healthy: 1));
        failed.Observe(Samples.App("shop", AppPhase.Failed, 4, 5, message: "image not found"));

        Assert.Equal(new RolloutOutcome(true, null), running.Outcome());
        Assert.Equal(new RolloutOutcome(false, "image not found"), failed.Outcome());
        Assert.Equal("web   image ready      created 1/1   started 1/1   healthy 1/1", Assert.Single(running.Lines()).Value);
    }
}
