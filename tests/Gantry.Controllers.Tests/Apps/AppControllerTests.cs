using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Model;
using Gantry.Model.Status;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Controllers.Tests.Apps;

/// <summary>What queues a pass: the controller's triggers, on the real clock, a temporary store and the fake driver.</summary>
public class AppControllerTests
{
    private static AppSpec Shop => new()
    {
        Name = "shop",
        Networks = [new NetworkSpec("default")],
        Services = [new ServiceSpec { Name = "web", Image = "web:1", Replicas = 2, Networks = [new ServiceNetworkSpec("default")] }],
    };

    private static async Task<(ReconcilerHarness Harness, CancellationTokenSource Stop, Task Run)> StartAsync()
    {
        var h = await ReconcilerHarness.CreateAsync(realTime: true);
        var options = h.Options with { ResyncInterval = TimeSpan.FromHours(1) };
        var reconciler = new AppReconciler(h.Store, h.Driver, new ImageResolver(h.Driver, h.Events), h.Events, options, TimeProvider.System, h.Book, h.Gate);
        var controller = new AppController(h.Store, h.Driver, reconciler, options, TimeProvider.System, NullLogger<AppController>.Instance);
        var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        await h.DeployAsync(Shop);
        await WaitUntilAsync(async () => (await StatusAsync(h))?.Phase == AppPhase.Running);
        // The passes that brought it up (and the resync at start) are over once the listings stop moving.
        await QuietAsync(h);
        return (h, stop, run);
    }

    private static async Task StopAsync((ReconcilerHarness Harness, CancellationTokenSource Stop, Task Run) c)
    {
        await c.Stop.CancelAsync();
        await c.Run;
        await c.Harness.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_ConvergedApp_ItsOwnStatusWritesQueueNoPass()
    {
        var c = await StartAsync();
        try
        {
            var listings = c.Harness.Driver.AppListings;
            var version = (await c.Harness.Store.GetAsync(AppKinds.App, "shop"))!.ResourceVersion;

            await Task.Delay(TimeSpan.FromSeconds(1.5));

            Assert.Equal(listings, c.Harness.Driver.AppListings);
            Assert.Equal(version, (await c.Harness.Store.GetAsync(AppKinds.App, "shop"))!.ResourceVersion);
        }
        finally
        {
            await StopAsync(c);
        }
    }

    [Fact]
    public async Task RunAsync_ExecEventsOfHealthChecks_QueueNoPass()
    {
        var c = await StartAsync();
        try
        {
            var replica = c.Harness.Driver.Containers[0];
            var listings = c.Harness.Driver.AppListings;
            for (var i = 0; i < 100; i++)
            {
                c.Harness.Driver.Publish(i % 3 == 0 ? "exec_create" : i % 3 == 1 ? "exec_start" : "exec_die", replica);
            }
            // Events are handled in order: once the die queued behind them has run its pass, the exec events were seen too.
            c.Harness.Driver.Publish("die", replica);
            await WaitUntilAsync(() => Task.FromResult(c.Harness.Driver.AppListings > listings));
            await QuietAsync(c.Harness);

            Assert.Equal(listings + 1, c.Harness.Driver.AppListings);
        }
        finally
        {
            await StopAsync(c);
        }
    }

    [Fact]
    public async Task RunAsync_BurstOfEngineEvents_CoalescesIntoOnePass()
    {
        var c = await StartAsync();
        try
        {
            var replica = c.Harness.Driver.Containers[0];
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            c.Harness.Driver.ListGate = gate;
            var listings = c.Harness.Driver.AppListings;
            c.Harness.Driver.Publish("die", replica);
            await WaitUntilAsync(() => Task.FromResult(c.Harness.Driver.AppListings > listings));

            // A pass is held in the middle; fifty more events arrive for the same app.
            for (var i = 0; i < 50; i++)
            {
                c.Harness.Driver.Publish(i % 2 == 0 ? "start" : "health_status", replica);
            }
            await Task.Delay(200);
            c.Harness.Driver.ListGate = null;
            gate.SetResult();
            await QuietAsync(c.Harness);

            Assert.Equal(listings + 2, c.Harness.Driver.AppListings);
        }
        finally
        {
            await StopAsync(c);
        }
    }

    private static async Task<AppStatus?> StatusAsync(ReconcilerHarness h)
    {
        var resource = await h.Store.GetAsync(AppKinds.App, "shop");
        return resource?.StatusJson is null ? null : JsonSerializer.Deserialize(resource.StatusJson, ModelJsonContext.Default.AppStatus);
    }

    private static async Task QuietAsync(ReconcilerHarness h)
    {
        var last = -1;
        while (last != h.Driver.AppListings)
        {
            last = h.Driver.AppListings;
            await Task.Delay(300);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
