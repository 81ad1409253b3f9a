using Gantry.Controllers.Planning;
using Gantry.Model;
using Gantry.Model.Status;
using static Gantry.Controllers.Tests.Planning.PlannerFixtures;

namespace Gantry.Controllers.Tests.Planning;

public class AppPlannerTests
{
    [Fact]
    public void Plan_EmptyEngine_CreatesDependencyFirstAndDependentWaits()
    {
        var app = App(Service("web", 2, new DependencySpec("db", DependencyCondition.Healthy)), Service("db"));

        var plan = AppPlanner.Plan(new PlanInput(app, 1, [], Now) { ImageIds = Images(app) });

        Assert.Equal(["shop-db-1"], plan.Create.Select(c => c.Name[..9]));
        var wait = Assert.Single(plan.Waiting);
        Assert.Equal("web", wait.Service);
        Assert.Contains("'db' to be healthy", wait.Reason);
        Assert.Equal(AppPhase.Deploying, plan.Status.Phase);
    }

    [Fact]
    public void Plan_DependencyHealthy_CreatesDependentReplicas()
    {
        var app = App(Service("web", 2, new DependencySpec("db", DependencyCondition.Healthy)), Service("db"));
        var observed = new[] { Running(app, "db", 1, health: "healthy") };

        var plan = AppPlanner.Plan(new PlanInput(app, 1, observed, Now) { ImageIds = Images(app) });

        Assert.Equal([1, 2], plan.Create.Select(c => c.Slot));
        Assert.All(plan.Create, c => Assert.Equal("web", c.Service));
        Assert.Empty(plan.Waiting);
    }

    [Fact]
    public void Plan_DependencyStartingHealthCheck_KeepsDependentWaiting()
    {
        var app = App(Service("web", 1, new DependencySpec("db", DependencyCondition.Healthy)), Service("db"));
        var observed = new[] { Running(app, "db", 1, health: "starting") };

        var plan = AppPlanner.Plan(new PlanInput(app, 1, observed, Now) { ImageIds = Images(app) });

        Assert.Empty(plan.Create);
        Assert.Equal("web", Assert.Single(plan.Waiting).Service);
    }

    [Fact]
    public void Plan_EverythingRunning_IsConvergedAndRunning()
    {
        var app = App(Service("web", 2), Service("db"));
        var observed = new[] { Running(app, "web", 1), Running(app, "web", 2), Running(app, "db", 1) };

        var plan = AppPlanner.Plan(new PlanInput(app, 1, observed, Now) { ImageIds = Images(app) });

        Assert.True(plan.IsConverged);
        Assert.Equal(AppPhase.Running, plan.Status.Phase);
        Assert.Equal(2, plan.Status.Services.Single(s => s.Name == "web").Running);
    }

    [Fact]
    public void Plan_ScaledIn_RemovesHighestSlotsOnly()
    {
        var app = App(Service("web", 2));
        var observed = Enumerable.Range(1, 5).Select(i => Running(app, "web", i)).ToArray();

        var plan = AppPlanner.Plan(new PlanInput(app, 2, observed, Now) { ImageIds = Images(app) });

        Assert.Equal([3, 4, 5], plan.Remove.Select(r => r.Container.Slot).Order());
        Assert.Empty(plan.Create);
    }

    [Fact]
    public void Plan_ServiceRemovedFromFile_RemovesItsContainersAsOrphans()
    {
        var app = App(Service("web"));
        var old = App(Service("web"), Service("cache"));
        var observed = new[] { Running(app, "web", 1), Running(old, "cache", 1) };

        var plan = AppPlanner.Plan(new PlanInput(app, 2, observed, Now) { ImageIds = Images(app) });

        var removal = Assert.Single(plan.Remove);
        Assert.Equal("cache", removal.Container.Service);
        Assert.StartsWith("orphan", removal.Reason);
    }

    [Fact]
    public void Plan_TwoContainersForOneSlot_RemovesTheDuplicate()
    {
        var app = App(Service("web"));
        var first = Running(app, "web", 1);
        var duplicate = first with { Id = "other-id", State = "created" };

        var plan = AppPlanner.Plan(new PlanInput(app, 1, [first, duplicate], Now) { ImageIds = Images(app) });

        Assert.Equal("other-id", Assert.Single(plan.Remove).Container.Id);
        Assert.Empty(plan.Create);
    }

    [Fact]
    public void Plan_SpecChanged_ReplacesOneSlotAtATimeStopFirst()
    {
        var before = App(Service("web", 3));
        var after = App(Service("web", 3) with { Environment = new Dictionary<string, string?> { ["MODE"] = "new" } });
        var observed = Enumerable.Range(1, 3).Select(i => Running(before, "web", i)).ToArray();

        var plan = AppPlanner.Plan(new PlanInput(after, 2, observed, Now) { ImageIds = Images(after) });

        Assert.Equal(1, Assert.Single(plan.Remove).Container.Slot);
        Assert.Equal(1, Assert.Single(plan.Create).Slot);
        Assert.NotEqual(observed[0].SpecHash, plan.Create[0].SpecHash);
    }

    [Fact]
    public void Plan_NewReplicaNotReadyYet_HoldsTheNextBatch()
    {
        var before = App(Service("web", 2));
        var after = App(Service("web", 2) with { Command = ["serve", "--v2"] });
        var fresh = Running(after, "web", 1, health: "starting");
        var observed = new[] { fresh, Running(before, "web", 2) };

        var plan = AppPlanner.Plan(new PlanInput(after, 2, observed, Now) { ImageIds = Images(after) });

        Assert.Empty(plan.Create);
        Assert.Empty(plan.Remove);
    }

    [Fact]
    public void Plan_UpdateDelay_NextReplacementWaitsUntilTheNewestNewReplicaRanThatLong()
    {
        var before = App(Service("web", 2));
        var after = App(Service("web", 2) with { Command = ["serve", "--v2"], Update = new UpdateConfigSpec { Delay = TimeSpan.FromSeconds(10) } });
        var observed = new[] { Running(after, "web", 1) with { StartedAt = Now.AddSeconds(-3) }, Running(before, "web", 2) };

        var waiting = AppPlanner.Plan(new PlanInput(after, 2, observed, Now) { ImageIds = Images(after) });

        Assert.Empty(waiting.Create);
        Assert.Empty(waiting.Remove);
        Assert.Equal(Now.AddSeconds(7), waiting.NextWakeAt);
        Assert.Contains(waiting.Waiting, w => w.Reason.StartsWith("update_config.delay", StringComparison.Ordinal));

        var next = AppPlanner.Plan(new PlanInput(after, 2, observed, Now.AddSeconds(7)) { ImageIds = Images(after) });

        Assert.Equal(2, Assert.Single(next.Remove).Container.Slot);
        Assert.Equal(2, Assert.Single(next.Create).Slot);
    }

    [Fact]
    public void Plan_UpdateMonitor_RolloutIsDoneOnlyOnceTheNewReplicasRanThatLong_AndAFailureMeanwhileFailsIt()
    {
        var before = App(Service("web", 1));
        var after = App(Service("web", 1) with { Command = ["serve", "--v2"], Update = new UpdateConfigSpec { Monitor = TimeSpan.FromSeconds(30) } }) with { Release = 2 };
        var fresh = Running(after, "web", 1) with { StartedAt = Now.AddSeconds(-5) };
        var previous = new Dictionary<string, Model.Status.ServiceStatus>
        {
            ["web"] = new("web") { SpecHash = Running(before, "web", 1).SpecHash, LiveSpecHash = Running(before, "web", 1).SpecHash, LiveRelease = 1 },
        };

        var watching = AppPlanner.Plan(new PlanInput(after, 2, [fresh], Now) { ImageIds = Images(after), PreviousServices = previous });

        var web = watching.Status.Services.Single();
        Assert.Equal(Model.Status.RolloutStates.Staging, web.Rollout!.State);
        Assert.Equal(Now.AddSeconds(25), watching.NextWakeAt);
        Assert.Contains(watching.Waiting, w => w.Reason.StartsWith("update_config.monitor", StringComparison.Ordinal));

        var failed = AppPlanner.Plan(new PlanInput(after, 2, [fresh with { Health = "unhealthy" }], Now.AddSeconds(10))
        {
            ImageIds = Images(after),
            PreviousServices = new Dictionary<string, Model.Status.ServiceStatus> { ["web"] = web },
        });
        Assert.Equal(Model.Status.RolloutStates.Failed, failed.Status.Services.Single().Rollout!.State);

        var done = AppPlanner.Plan(new PlanInput(after, 2, [fresh], Now.AddSeconds(25))
        {
            ImageIds = Images(after),
            PreviousServices = new Dictionary<string, Model.Status.ServiceStatus> { ["web"] = web },
        });
        Assert.Equal(Model.Status.RolloutStates.Live, done.Status.Services.Single().Rollout!.State);
    }

    [Fact]
    public void Plan_KilledReplica_IsStartedAgainAtOnce()
    {
        var app = App(Service("web"));
        var killed = Exited(Running(app, "web", 1), 137, Now.AddSeconds(-1));

        var plan = AppPlanner.Plan(new PlanInput(app, 1, [killed], Now) { ImageIds = Images(app) });

        var start = Assert.Single(plan.Start);
        Assert.Equal(killed.Id, start.Container.Id);
        Assert.Equal(1, start.Restarts);
    }

    [Fact]
    public void Plan_CrashLooping_BacksOffExponentiallyAndSaysWhy()
    {
        var app = App(Service("web"));
        var crashed = Exited(Running(app, "web", 1), 3, Now.AddSeconds(-1));
        var previous = new Dictionary<string, ReplicaStatus> { [crashed.Name] = new(crashed.Name, "web", 1) { Restarts = 4 } };

        var plan = AppPlanner.Plan(new PlanInput(app, 1, [crashed], Now) { ImageIds = Images(app), PreviousReplicas = previous });

        Assert.Empty(plan.Start);
        Assert.Equal(crashed.FinishedAt!.Value + TimeSpan.FromSeconds(8), plan.NextWakeAt);
        var replica = plan.Status.Services.Single().Replicas.Single();
        Assert.Equal("backoff", replica.State);
        Assert.Contains("exited with code 3", replica.Message);
        Assert.Equal(AppPhase.Degraded, plan.Status.Phase);
    }

    [Fact]
    public void Plan_OomKilled_ReportsTheMemoryLimit()
    {
        var app = App(Service("web"));
        var oom = Exited(Running(app, "web", 1), 137, Now.AddSeconds(-1), oom: true) with { MemoryLimitBytes = 64L << 20 };

        var plan = AppPlanner.Plan(new PlanInput(app, 1, [oom], Now) { ImageIds = Images(app) });

        var replica = plan.Status.Services.Single().Replicas.Single();
        Assert.True(replica.OomKilled);
        Assert.Contains("OOM-killed", replica.Message);
        Assert.Contains("64 MiB", replica.Message);
    }

    [Fact]
    public void Plan_MaxAttemptsReached_GivesUp()
    {
        var app = App(Service("web") with { Restart = new RestartPolicySpec { Condition = RestartCondition.OnFailure, MaxAttempts = 2 } });
        var crashed = Exited(Running(app, "web", 1), 1, Now.AddMinutes(-10));
        var previous = new Dictionary<string, ReplicaStatus> { [crashed.Name] = new(crashed.Name, "web", 1) { Restarts = 2 } };

        var plan = AppPlanner.Plan(new PlanInput(app, 1, [crashed], Now) { ImageIds = Images(app), PreviousReplicas = previous });

        Assert.Empty(plan.Start);
        Assert.Contains("gave up after 2 restarts", plan.Status.Services.Single().Replicas.Single().Message);
    }

    [Fact]
    public void Plan_JobCompletedWithRestartNo_IsLeftAlone()
    {
        var app = App(Service("migrate") with { Restart = new RestartPolicySpec { Condition = RestartCondition.None } });
        var done = Exited(Running(app, "migrate", 1), 0, Now.AddMinutes(-1));

        var plan = AppPlanner.Plan(new PlanInput(app, 1, [done], Now) { ImageIds = Images(app) });

        Assert.Empty(plan.Start);
        Assert.Equal(AppPhase.Running, plan.Status.Phase);
    }

    [Fact]
    public void Plan_ImageNotResolved_CreatesNothingForThatService()
    {
        var app = App(Service("web"), Service("db"));
        var images = Images(app);
        images.Remove("web");

        var plan = AppPlanner.Plan(new PlanInput(app, 1, [], Now) { ImageIds = images });

        Assert.Equal("db", Assert.Single(plan.Create).Service);
        Assert.Contains(plan.Waiting, w => w.Service == "web" && w.Reason == "image not ready");
    }

    [Fact]
    public void TopologicalOrder_ChainOfDependencies_DependenciesFirst()
    {
        var app = App(
            Service("web", 1, new DependencySpec("api")),
            Service("api", 1, new DependencySpec("db")),
            Service("db"));

        Assert.Equal(["db", "api", "web"], AppPlanner.TopologicalOrder(app).Select(s => s.Name));
    }

    [Fact]
    public void Plan_SharedNetworkStackReplaced_ReplacesTheServiceInsideItToo()
    {
        ServiceSpec Torrent() => Service("torrent", 1, new DependencySpec("vpn")) with { NetworkMode = "service:vpn", Networks = [] };
        var before = App(Service("vpn"), Torrent());
        var after = App(Service("vpn") with { Command = ["vpn", "--v2"] }, Torrent());
        var images = Images(before);
        string Hash(AppSpec app, string name) => SpecHash.Compute(app.FindService(name)!, images[name]);
        var torrentBefore = SpecHash.Combine(Hash(before, "torrent"), Hash(before, "vpn"));
        var torrentAfter = SpecHash.Combine(Hash(after, "torrent"), Hash(after, "vpn"));

        var unchanged = AppPlanner.Plan(new PlanInput(before, 1, [Running(before, "vpn", 1), Running(before, "torrent", 1, hash: torrentBefore)], Now) { ImageIds = images });
        // vpn has been replaced already; torrent's own spec did not change, but the stack it lives in is gone.
        var changed = AppPlanner.Plan(new PlanInput(after, 2, [Running(after, "vpn", 1), Running(before, "torrent", 1, hash: torrentBefore)], Now) { ImageIds = images });

        Assert.True(unchanged.IsConverged);
        Assert.Equal(("torrent", RemovalKind.Replaced), (Assert.Single(changed.Remove).Container.Service, changed.Remove[0].Kind));
        Assert.Equal(torrentAfter, Assert.Single(changed.Create).SpecHash);
    }
}
