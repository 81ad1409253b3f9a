using Gantry.Controllers.Releases;
using Gantry.Controllers.Apps;
using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Store;

namespace Gantry.Controllers.Tests.Apps;

/// <summary>The effectful side of a pass, through the fake driver and a real (temporary) store: what it writes, and when it asks to run again.</summary>
public class AppReconcilerTests
{
    private static AppSpec Shop(string image = "web:1", int replicas = 3, ReleasePolicy? release = null) => new()
    {
        Name = "shop",
        Networks = [new NetworkSpec("default")],
        Services =
        [
            new ServiceSpec
            {
                Name = "web",
                Image = image,
                Replicas = replicas,
                Networks = [new ServiceNetworkSpec("default")],
                Release = release,
            },
        ],
    };

    private static ReleasePolicy BlueGreen => new() { Routed = true, Strategy = ReleaseStrategy.BlueGreen };

    [Fact]
    public async Task ReconcileAsync_ConvergedIdleApp_WritesNothingToTheStoreOverManyPasses()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.DeployAsync(Shop());
        await h.ConvergeAsync();
        Assert.Equal(AppPhase.Running, (await h.StatusAsync())!.Phase);

        // Every store write (any kind, status included) shows on a store-wide watch; a sentinel marks the end.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var watch = h.Store.WatchAsync(null, cts.Token).GetAsyncEnumerator(cts.Token);
        while (await watch.MoveNextAsync() && watch.Current.Type != ResourceChangeType.Synced)
        {
        }
        var events = await h.EventCountAsync();
        var mutations = h.Driver.Mutations;

        for (var pass = 0; pass < 100; pass++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(37));
            Assert.Null(await h.PassAsync());
        }
        await h.Store.CreateAsync("Sentinel", "end", "{}");

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(("Sentinel", "end"), (watch.Current.Resource!.Kind, watch.Current.Resource.Name));
        Assert.Equal(events, await h.EventCountAsync());
        Assert.Equal(mutations, h.Driver.Mutations);
    }

    [Fact]
    public async Task ReconcileAsync_HealthChanges_WritesStatusAndOneEventPerChange()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        h.Driver.HealthOnStart = "healthy";
        await h.DeployAsync(Shop(replicas: 1));
        await h.ConvergeAsync();
        var replica = h.Driver.Containers.Single();
        var before = (await h.Store.GetAsync(AppKinds.App, "shop"))!.ResourceVersion;

        h.Driver.Update(replica.Id, c => c with { Health = "unhealthy" });
        await h.PassAsync();
        await h.PassAsync();
        var unhealthy = (await h.Store.GetAsync(AppKinds.App, "shop"))!;

        Assert.True(unhealthy.ResourceVersion > before);
        Assert.Equal(AppPhase.Degraded, (await h.StatusAsync())!.Phase);
        var afterFirst = unhealthy.ResourceVersion;
        await h.PassAsync();
        Assert.Equal(afterFirst, (await h.Store.GetAsync(AppKinds.App, "shop"))!.ResourceVersion);
        var warnings = await h.Store.ListEventsAsync(new EventQuery { App = "shop", Limit = 1000 });
        Assert.Single(warnings, e => e.Reason == Model.Api.EventReasons.ReplicaUnhealthy);
    }

    [Fact]
    public async Task ReconcileAsync_CrashedReplica_AsksToRunWhenItsBackoffEndsAndReadsItsLogsOnce()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.DeployAsync(Shop(replicas: 1) with
        {
            Services = [Shop(replicas: 1).Services[0] with { Restart = new RestartPolicySpec { Condition = RestartCondition.Any } }],
        });
        await h.ConvergeAsync();
        var replica = h.Driver.Containers.Single();
        // The first death restarts at once; the second, soon after, waits for the backoff.
        h.Driver.Update(replica.Id, c => c with { State = "exited", ExitCode = 3, FinishedAt = h.Time.GetUtcNow() });
        await h.PassAsync();
        h.Time.Advance(TimeSpan.FromSeconds(2));
        h.Driver.Update(replica.Id, c => c with { State = "exited", ExitCode = 3, FinishedAt = h.Time.GetUtcNow() });
        var starts = h.Driver.Starts;
        var tails = h.Driver.LogTails;

        var again = await h.PassAsync();
        await h.PassAsync();

        Assert.NotNull(again);
        Assert.Equal(h.Options.Backoff.DelayAfter(1), again.Value);
        Assert.Equal(starts, h.Driver.Starts);
        Assert.Equal(tails + 1, h.Driver.LogTails);
        Assert.Contains("last output: boom", (await h.StatusAsync())!.Services.Single().Replicas.Single().Message);

        h.Time.Advance(again.Value);
        await h.PassAsync();
        Assert.Equal(starts + 1, h.Driver.Starts);
    }

    [Fact]
    public async Task ReconcileAsync_DeletionRequested_RemovesEverythingThenTheRecord()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.DeployAsync(Shop());
        await h.ConvergeAsync();
        Assert.Equal(3, h.Driver.Containers.Count);

        await h.Store.RequestDeletionAsync(AppKinds.App, "shop");
        Assert.Null(await h.PassAsync());

        Assert.Empty(h.Driver.Containers);
        Assert.Empty(await h.Driver.ListNetworksAsync("shop", CancellationToken.None));
        Assert.Null(await h.Store.GetAsync(AppKinds.App, "shop"));
        Assert.Empty(await h.Book.ListAsync("shop"));
    }

    [Fact]
    public async Task ReconcileAsync_NoRecordThenADeployStoresTheAppMidPass_KeepsTheNewRelease()
    {
        // A push's build wakes the controller for an app not stored yet (docs/decisions/0025); its deploy stores the app and
        // release 1 in one write while that pass, which read no record, is still tearing down what a lost app would leave.
        await using var h = await ReconcilerHarness.CreateAsync();
        h.Driver.ListGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pass = h.PassAsync();
        while (Volatile.Read(ref h.Driver.AppListings) == 0)
        {
            await Task.Delay(5);
        }
        var record = h.Book.Draft(Shop(), ReleaseCauses.GitPush, "test", null, null, []);
        await h.Store.CommitAsync(ReleaseBook.Add(new StoreBatch(), record)
            .UpsertSpec(AppKinds.App, "shop", StoredApp.Json(record.Spec), null));

        h.Driver.ListGate.SetResult();
        await pass;

        Assert.Equal([1L], (await h.Book.ListAsync("shop")).Select(r => r.Record.Number));
        Assert.NotNull(await h.Store.GetAsync(AppKinds.App, "shop"));
        await h.ConvergeAsync();
        Assert.Equal(3, h.Driver.Containers.Count);
        Assert.Equal([1L], (await h.Book.ListAsync("shop")).Select(r => r.Record.Number));
    }

    [Fact]
    public async Task ReconcileAsync_ReleasesOfALostApp_AreRemoved()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.Book.CreateAsync(Shop(), ReleaseCauses.Deploy, "test");

        Assert.Null(await h.PassAsync());

        Assert.Empty(await h.Book.ListAsync("shop"));
    }

    [Fact]
    public async Task ReconcileAsync_RollbackToWarmRelease_SwapsInOnePassWithoutStartingAnything()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.DeployAsync(Shop("web:1", 2, BlueGreen));
        await h.ConvergeAsync();
        await h.DeployAsync(Shop("web:2", 2, BlueGreen));
        for (var i = 0; i < 5 && (await h.StatusAsync())!.Services.Single().Warm is null; i++)
        {
            await h.PassAsync();
        }
        var web = (await h.StatusAsync())!.Services.Single();
        Assert.NotNull(web.Warm);
        Assert.Equal(4, h.Driver.Containers.Count);
        var creates = h.Driver.Creates;

        await h.DeployAsync(Shop("web:1", 2, BlueGreen));
        await h.PassAsync();

        Assert.Equal(creates, h.Driver.Creates);
        var status = (await h.StatusAsync())!.Services.Single();
        Assert.Equal(web.Warm!.SpecHash, status.LiveSpecHash);
        Assert.All(status.Replicas.Where(r => r.SpecHash == status.LiveSpecHash), r => Assert.Equal(TrafficRole.Live, r.Traffic));
    }

    [Fact]
    public async Task ReconcileAsync_ScaleInOfRoutedService_StopsOnlyAfterTheRoutersDrained()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.DeployAsync(Shop("web:1", 3, BlueGreen));
        await h.ConvergeAsync();
        var drained = false;
        h.Gate.Drained = _ => drained;

        await h.DeployAsync(Shop("web:1", 1, BlueGreen));
        var again = await h.PassAsync();
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.PassAsync();

        Assert.NotNull(again);
        Assert.Equal(3, h.Driver.Containers.Count);
        Assert.Equal(2, (await h.StatusAsync())!.Services.Single().Replicas.Count(r => r.Traffic == TrafficRole.Draining));

        drained = true;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.PassAsync();
        await WaitUntilAsync(() => h.Driver.Containers.Count == 1);
    }

    [Fact]
    public async Task ReconcileAsync_WarmSet_AsksToRunWhenTheRollbackWindowEnds()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.DeployAsync(Shop("web:1", 1, BlueGreen));
        await h.ConvergeAsync();
        await h.DeployAsync(Shop("web:2", 1, BlueGreen));
        TimeSpan? again = null;
        for (var i = 0; i < 5 && (await h.StatusAsync())!.Services.Single().Warm is null; i++)
        {
            again = await h.PassAsync();
        }
        again = await h.PassAsync();

        // Converged, but the warm set expires later: the pass asks for exactly that time, not a 5 s poll.
        Assert.NotNull(again);
        Assert.InRange(again.Value, ReleasePolicy.DefaultWarmFor - TimeSpan.FromSeconds(5), ReleasePolicy.DefaultWarmFor);
    }

    [Fact]
    public async Task ReconcileAsync_NewSetGettingHealthyWhileAWarmSetWaits_LooksAgainSoonNotAtTheWarmExpiry()
    {
        // On a Swarm no event says a task got healthy: a set staged beside a warm one is polled, not left until the warm set expires.
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.DeployAsync(Shop("web:1", 1, BlueGreen));
        await h.ConvergeAsync();
        await h.DeployAsync(Shop("web:2", 1, BlueGreen));
        for (var i = 0; i < 5 && (await h.StatusAsync())!.Services.Single().Warm is null; i++)
        {
            await h.PassAsync();
        }
        Assert.NotNull((await h.StatusAsync())!.Services.Single().Warm);
        h.Driver.HealthOnStart = "starting";

        await h.DeployAsync(Shop("web:3", 1, BlueGreen));
        await h.PassAsync();
        var again = await h.PassAsync();

        Assert.NotNull(again);
        Assert.True(again.Value <= TimeSpan.FromSeconds(30), again.Value.ToString());
    }

    [Fact]
    public async Task ReconcileAsync_WaitingOnSomethingUnannounced_LooksAgainLessAndLessOften()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        h.Driver.HealthOnStart = "starting";
        var db = Shop(replicas: 1).Services[0] with { Name = "db", Image = "db:1" };
        var web = Shop(replicas: 1).Services[0] with { DependsOn = [new DependencySpec("db", DependencyCondition.Healthy)] };
        await h.DeployAsync(Shop() with { Services = [db, web] });

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            var again = await h.PassAsync();
            Assert.NotNull(again);
            delays.Add(again.Value);
            h.Time.Advance(again.Value);
        }

        // The db never gets healthy: web waits, and the passes thin out instead of running twice a second for ever.
        Assert.True(delays[^1] >= TimeSpan.FromSeconds(16), string.Join(", ", delays));
        Assert.Equal(delays.Order(), delays);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Background stops (no create waits for them) finish on their own task.
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }
}
