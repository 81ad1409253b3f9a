using Gantry.Controllers.Engine;
using Gantry.Controllers.Planning;
using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using static Gantry.Controllers.Tests.Planning.PlannerFixtures;

namespace Gantry.Controllers.Tests.Planning;

/// <summary>Release strategies: blue-green swaps, warm sets, drains before stops, failed rollouts, recreate.</summary>
public class ReleasePlannerTests
{
    private static ServiceSpec Web(int replicas = 2, ReleaseStrategy strategy = ReleaseStrategy.BlueGreen) =>
        Service("web", replicas) with { Release = new ReleasePolicy { Routed = true, Strategy = strategy } };

    private static AppSpec Release(long number, ServiceSpec web) => App(web) with { Release = number };

    private static string NewHash(AppSpec app) => SpecHash.Compute(app.Services[0], "sha256:webimage");

    private static string OldHash(AppSpec app) => SpecHash.Compute(app.Services[0], "sha256:old");

    private static ServiceStatus Previous(string live, long liveRelease, WarmSet? warm = null, params ReplicaStatus[] replicas) =>
        new("web") { LiveSpecHash = live, LiveRelease = liveRelease, Warm = warm, SpecHash = live, Replicas = replicas };

    private static AppPlan Plan(AppSpec app, IReadOnlyList<ObservedContainer> observed, ServiceStatus? previous = null, Func<string, bool>? drained = null, DateTimeOffset? now = null) =>
        AppPlanner.Plan(new PlanInput(app, app.Release, observed, now ?? Now)
        {
            ImageIds = Images(app),
            PreviousServices = previous is null ? new Dictionary<string, ServiceStatus>() : new Dictionary<string, ServiceStatus> { ["web"] = previous },
            PreviousReplicas = (previous?.Replicas ?? []).ToDictionary(r => r.Name),
            IsDrained = drained ?? (_ => true),
        });

    [Fact]
    public void BlueGreen_FirstDeploy_ServesReplicasAsTheyGetReady()
    {
        var app = Release(1, Web());
        var plan = Plan(app, [Running(app, "web", 1)]);

        var web = plan.Status.Services.Single();
        Assert.Equal(NewHash(app), web.LiveSpecHash);
        Assert.Equal([2], plan.Create.Select(c => c.Slot));
        Assert.Equal(TrafficRole.Live, web.Replicas.Single(r => r.Slot == 1).Traffic);
    }

    [Fact]
    public void BlueGreen_NewRelease_StartsTheWholeSetAndOldSetKeepsServing()
    {
        var app = Release(2, Web());
        var old = OldHash(app);
        var observed = new[] { Running(app, "web", 1, hash: old), Running(app, "web", 2, hash: old) };

        var plan = Plan(app, observed, Previous(old, 1));

        Assert.Equal([1, 2], plan.Create.Select(c => c.Slot).Order());
        Assert.Empty(plan.Remove);
        var web = plan.Status.Services.Single();
        Assert.Equal(old, web.LiveSpecHash);
        Assert.All(web.Replicas.Where(r => r.SpecHash == old), r => Assert.Equal(TrafficRole.Live, r.Traffic));
        Assert.All(web.Replicas.Where(r => r.SpecHash == NewHash(app)), r => Assert.Equal(TrafficRole.Staged, r.Traffic));
        Assert.Equal(RolloutStates.Staging, web.Rollout!.State);
    }

    [Fact]
    public void BlueGreen_NewSetReady_SwapsAtOnceAndKeepsOldSetWarm()
    {
        var app = Release(2, Web());
        var old = OldHash(app);
        var observed = new[]
        {
            Running(app, "web", 1, hash: old), Running(app, "web", 2, hash: old),
            Running(app, "web", 1, "healthy"), Running(app, "web", 2, "healthy"),
        };

        var plan = Plan(app, observed, Previous(old, 1));

        Assert.Empty(plan.Remove);
        Assert.Empty(plan.Create);
        var web = plan.Status.Services.Single();
        Assert.Equal(NewHash(app), web.LiveSpecHash);
        Assert.Equal(2, web.LiveRelease);
        Assert.Equal(new WarmSet(old, 1, Now + ReleasePolicy.DefaultWarmFor), web.Warm);
        Assert.All(web.Replicas.Where(r => r.SpecHash == old), r => Assert.Equal(TrafficRole.Warm, r.Traffic));
        Assert.All(web.Replicas.Where(r => r.SpecHash == NewHash(app)), r => Assert.Equal(TrafficRole.Live, r.Traffic));
        Assert.Equal(RolloutStates.Live, web.Rollout!.State);
        Assert.Equal(AppPhase.Running, plan.Status.Phase);
        Assert.Contains(plan.Notes, n => n.Message.StartsWith("traffic moved to release 2", StringComparison.Ordinal));
    }

    [Fact]
    public void BlueGreen_RollbackToWarmRelease_SwapsBackWithoutStartingAnything()
    {
        // Release 3 restores release 1, whose replicas (the "new" hash here) are warm; release 2 (old hash) is live.
        var app = Release(3, Web());
        var current = OldHash(app);
        var restored = NewHash(app);
        var observed = new[]
        {
            Running(app, "web", 1, hash: current), Running(app, "web", 2, hash: current),
            Running(app, "web", 1, "healthy"), Running(app, "web", 2, "healthy"),
        };

        var plan = Plan(app, observed, Previous(current, 2, new WarmSet(restored, 1, Now.AddMinutes(5))));

        Assert.Empty(plan.Create);
        Assert.Empty(plan.Remove);
        var web = plan.Status.Services.Single();
        Assert.Equal(restored, web.LiveSpecHash);
        Assert.Equal(current, web.Warm!.SpecHash);
        Assert.Equal(AppPhase.Running, plan.Status.Phase);
    }

    [Fact]
    public void BlueGreen_RollbackWindowOver_StopsTheWarmSet()
    {
        var app = Release(2, Web());
        var old = OldHash(app);
        var observed = new[] { Running(app, "web", 1, hash: old), Running(app, "web", 1, "healthy") };

        var plan = Plan(app with { Services = [Web(1)] }, observed, Previous(NewHash(app), 2, new WarmSet(old, 1, Now.AddSeconds(-1))));

        var removed = Assert.Single(plan.Remove);
        Assert.Equal(old, removed.Container.SpecHash);
        Assert.Contains("rollback window", removed.Reason);
        Assert.Null(plan.Status.Services.Single().Warm);
    }

    [Fact]
    public void Routed_ScaleIn_DrainsBeforeStopping()
    {
        var app = Release(1, Web(2));
        var hash = NewHash(app);
        var observed = new[] { Running(app, "web", 1), Running(app, "web", 2), Running(app, "web", 3) };
        var wasLive = observed.Select(c => new ReplicaStatus(c.Name, "web", c.Slot) { Traffic = TrafficRole.Live, SpecHash = hash }).ToArray();

        var first = Plan(app, observed, Previous(hash, 1, null, wasLive), drained: _ => false);

        Assert.Empty(first.Remove);
        var draining = first.Status.Services.Single().Replicas.Single(r => r.Slot == 3);
        Assert.Equal(TrafficRole.Draining, draining.Traffic);
        Assert.Equal(Now, draining.DrainingSince);
        Assert.False(first.IsConverged);

        var stillBusy = Plan(app, observed, first.Status.Services.Single(), drained: _ => false, now: Now.AddSeconds(2));
        Assert.Empty(stillBusy.Remove);

        var done = Plan(app, observed, first.Status.Services.Single(), drained: name => name == observed[2].Name, now: Now.AddSeconds(3));
        Assert.Equal(observed[2].Name, Assert.Single(done.Remove).Container.Name);
    }

    [Fact]
    public void Routed_DrainTimeoutPassed_StopsAnyway()
    {
        var app = Release(1, Web(1));
        var hash = NewHash(app);
        var observed = new[] { Running(app, "web", 1), Running(app, "web", 2) };
        var previous = Previous(hash, 1, null,
            new ReplicaStatus(observed[1].Name, "web", 2) { Traffic = TrafficRole.Draining, DrainingSince = Now.AddSeconds(-31) });

        var plan = Plan(app, observed, previous, drained: _ => false);

        Assert.Contains("drain timed out", Assert.Single(plan.Remove).Reason);
    }

    [Fact]
    public void BlueGreen_NewReplicaUnhealthy_RolloutFailsAndOldSetKeepsServing()
    {
        var app = Release(2, Web(1));
        var old = OldHash(app);
        var observed = new[] { Running(app, "web", 1, hash: old), Running(app, "web", 1, "unhealthy") };

        var plan = Plan(app, observed, Previous(old, 1));

        Assert.Equal(AppPhase.Failed, plan.Status.Phase);
        Assert.Contains("release 2 failed", plan.Status.Message);
        Assert.Contains("release 1 keeps serving", plan.Status.Message);
        var web = plan.Status.Services.Single();
        Assert.Equal(old, web.LiveSpecHash);
        Assert.Equal(TrafficRole.Live, web.Replicas.Single(r => r.SpecHash == old).Traffic);
        Assert.Empty(plan.Remove);
    }

    [Fact]
    public void Recreate_NewReplicasWaitUntilEveryOldOneHasDrained()
    {
        var app = Release(2, Web(2, ReleaseStrategy.Recreate));
        var old = OldHash(app);
        var observed = new[] { Running(app, "web", 1, hash: old), Running(app, "web", 2, hash: old) };
        var live = observed.Select(c => new ReplicaStatus(c.Name, "web", c.Slot) { Traffic = TrafficRole.Live, SpecHash = old }).ToArray();

        var draining = Plan(app, observed, Previous(old, 1, null, live), drained: _ => false);

        Assert.Empty(draining.Remove);
        Assert.Empty(draining.Create);
        Assert.All(draining.Status.Services.Single().Replicas.Where(r => r.SpecHash == old), r => Assert.Equal(TrafficRole.Draining, r.Traffic));

        // Drained: the old ones are removed first in the same pass (the reconciler applies removals before creates).
        var next = Plan(app, observed, draining.Status.Services.Single(), now: Now.AddSeconds(1));
        Assert.Equal(2, next.Remove.Count);
        Assert.Equal([1, 2], next.Create.Select(c => c.Slot).Order());
    }

    [Fact]
    public void RoutedRolling_OldReplicaServesUntilItsReplacementIsReady()
    {
        var app = Release(2, Web(1, ReleaseStrategy.Rolling) with { Update = new UpdateConfigSpec { Order = "start-first" } });
        var old = OldHash(app);
        var observed = new[] { Running(app, "web", 1, hash: old), Running(app, "web", 1, "starting") };

        var plan = Plan(app, observed, Previous(old, 1));

        Assert.Empty(plan.Remove);
        var replicas = plan.Status.Services.Single().Replicas;
        Assert.Equal(TrafficRole.Live, replicas.Single(r => r.SpecHash == old).Traffic);
        Assert.Equal(TrafficRole.Staged, replicas.Single(r => r.SpecHash == NewHash(app)).Traffic);
    }

    [Fact]
    public void FreshSetOfTheLiveRelease_Ready_SwapsKeepsTheReleaseBeforeWarmAndDrainsTheOldSetAsScaledIn()
    {
        // Release 2 serves with 3 replicas (old hash) and release 1 is warm; a cluster's scale-in to 2 made a fresh set (new hash).
        var app = Release(2, Web(2) with { Incarnation = 1 });
        var old = OldHash(app);
        var warm = new WarmSet("release1hash0000", 1, Now.AddMinutes(5));
        var observed = new[]
        {
            Running(app, "web", 1, hash: old), Running(app, "web", 2, hash: old), Running(app, "web", 3, hash: old),
            Running(app, "web", 1, "healthy"), Running(app, "web", 2, "healthy"),
        };
        var live = new RolloutStatus { Release = 2, State = RolloutStates.Live, StartedAt = Now.AddMinutes(-9), LiveAt = Now.AddMinutes(-8) };

        var plan = Plan(app, observed, Previous(old, 2, warm) with { Rollout = live }, drained: _ => false);

        var web = plan.Status.Services.Single();
        Assert.Equal(NewHash(app), web.LiveSpecHash);
        Assert.Equal(2, web.LiveRelease);
        Assert.Equal(warm, web.Warm);
        Assert.Equal(live, web.Rollout);
        Assert.Empty(plan.Create);
        // The whole old set leaves the route table and drains; none is kept warm (a rollback goes to release 1).
        Assert.All(web.Replicas.Where(r => r.SpecHash == old), r => Assert.Equal(TrafficRole.Draining, r.Traffic));
        Assert.All(web.Replicas.Where(r => r.SpecHash == NewHash(app)), r => Assert.Equal(TrafficRole.Live, r.Traffic));
        Assert.Contains(plan.Notes, n => n.Message.StartsWith("traffic moved to a fresh set of 2 of release 2", StringComparison.Ordinal));
        Assert.Contains(plan.Notes, n => n.Message.Contains("scaled in to 2: a fresh set of 2 took the traffic", StringComparison.Ordinal));
    }

    [Fact]
    public void FreshSetOfTheLiveRelease_NotReady_OldSetServesWithNoCanaryAndTheReleaseStaysLive()
    {
        var policy = new ReleasePolicy { Routed = true, Strategy = ReleaseStrategy.BlueGreen, CanarySteps = [10, 50] };
        var app = Release(2, Web(1) with { Incarnation = 1, Release = policy });
        var old = OldHash(app);
        var observed = new[] { Running(app, "web", 1, hash: old), Running(app, "web", 2, hash: old), Running(app, "web", 1, "starting") };
        var live = new RolloutStatus { Release = 2, State = RolloutStates.Live, StartedAt = Now.AddMinutes(-9), LiveAt = Now.AddMinutes(-8) };

        var waiting = Plan(app, observed, Previous(old, 2) with { Rollout = live }, now: Now.AddHours(1));

        var web = waiting.Status.Services.Single();
        Assert.Equal(old, web.LiveSpecHash);
        Assert.Equal(live, web.Rollout);
        Assert.Empty(waiting.Remove);
        Assert.All(web.Replicas.Where(r => r.SpecHash == old), r => Assert.Equal(TrafficRole.Live, r.Traffic));

        var ready = Plan(app, [.. observed.Take(2), Running(app, "web", 1, "healthy")], Previous(old, 2) with { Rollout = live });

        var swapped = ready.Status.Services.Single();
        Assert.Equal(NewHash(app), swapped.LiveSpecHash);
        Assert.Null(swapped.Rollout!.CanaryPercent);
    }

    [Fact]
    public void RoutedRolling_OnACluster_MovesAsAWholeSet()
    {
        // Swarm picks the task a smaller count stops, so slot-by-slot replacement could stop a routed replica: blue-green instead.
        var app = Release(2, Web(2, ReleaseStrategy.Rolling));
        var old = OldHash(app);
        var observed = new[] { Running(app, "web", 1, hash: old), Running(app, "web", 2, hash: old) };

        var plan = AppPlanner.Plan(new PlanInput(app, app.Release, observed, Now)
        {
            ImageIds = Images(app),
            PreviousServices = new Dictionary<string, ServiceStatus> { ["web"] = Previous(old, 1) },
            EngineChoosesScaleIn = true,
        });

        Assert.Equal([1, 2], plan.Create.Select(c => c.Slot).Order());
        Assert.Empty(plan.Remove);
        var web = plan.Status.Services.Single();
        Assert.Equal(old, web.LiveSpecHash);
        Assert.All(web.Replicas.Where(r => r.SpecHash == NewHash(app)), r => Assert.Equal(TrafficRole.Staged, r.Traffic));
    }

    [Fact]
    public void Canary_StepsThroughItsSharesThenSwaps()
    {
        var policy = new ReleasePolicy { Routed = true, Strategy = ReleaseStrategy.BlueGreen, CanarySteps = [10, 50] };
        var app = Release(2, Web(1) with { Release = policy });
        var old = OldHash(app);
        var fresh = NewHash(app);
        var observed = new[] { Running(app, "web", 1, hash: old), Running(app, "web", 1, "healthy") };

        var first = Plan(app, observed, Previous(old, 1));
        var web = first.Status.Services.Single();
        Assert.Equal(old, web.LiveSpecHash);
        Assert.Equal((RolloutStates.Canary, 10), (web.Rollout!.State, web.Rollout.CanaryPercent));
        var canary = web.Replicas.Single(r => r.SpecHash == fresh);
        Assert.Equal((TrafficRole.Canary, 10), (canary.Traffic, canary.Weight));
        Assert.Equal(TrafficRole.Live, web.Replicas.Single(r => r.SpecHash == old).Traffic);

        var window = policy.AutoRollback!.Window;
        var held = Plan(app, observed, web, now: Now + window / 2).Status.Services.Single();
        Assert.Equal(10, held.Rollout!.CanaryPercent);

        var second = Plan(app, observed, held, now: Now + window).Status.Services.Single();
        Assert.Equal(50, second.Rollout!.CanaryPercent);

        var done = Plan(app, observed, second, now: Now + window * 2).Status.Services.Single();
        Assert.Equal(fresh, done.LiveSpecHash);
        Assert.Equal(RolloutStates.Live, done.Rollout!.State);
        Assert.Equal(old, done.Warm!.SpecHash);
    }
}
