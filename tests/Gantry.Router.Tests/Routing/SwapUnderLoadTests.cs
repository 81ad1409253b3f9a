using Gantry.Router.Contracts.Routes;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Routing;

public class SwapUnderLoadTests
{
    [Fact]
    public async Task Swap_FiftyTablesUnderConcurrentLoad_ZeroFailedRequests()
    {
        await using var blue = await TestBackend.StartNamedAsync("blue");
        await using var green = await TestBackend.StartNamedAsync("green");
        await using var router = await TestRouter.StartAsync(Tables.Single(blue.Address, version: 1));
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var total = 0;
        var failed = new System.Collections.Concurrent.ConcurrentBag<string>();

        var clients = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await router.GetStringAsync("app.test");
                Interlocked.Increment(ref total);
                if (result is not ("200 blue" or "200 green"))
                {
                    Interlocked.Increment(ref failures);
                    failed.Add(result);
                }
            }
        })).ToList();

        for (var version = 2; version <= 51; version++)
        {
            // Alternate blue-green style: both present, weights flip, and every other table replaces a destination id.
            var blueDestination = new DestinationSpec { Id = version % 4 < 2 ? "blue" : "blue-" + version, Address = blue.Address, Weight = version % 2 == 0 ? 0 : 100 };
            var greenDestination = new DestinationSpec { Id = "green", Address = green.Address, Weight = version % 2 == 0 ? 100 : 0 };
            var table = Tables.Table(version, [Tables.Route("app", "app", "app.test")], new ClusterSpec { Id = "app", Destinations = [blueDestination, greenDestination] });
            Assert.Empty(router.Router.ApplyTable(table));
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Equal(51, router.Router.CurrentTable.Version);
        Assert.True(total > 100, $"only {total} requests");
        Assert.True(failures == 0, "failed: " + string.Join(" | ", failed.Take(5)) + " records: "
            + string.Join(" | ", router.Router.Recent.Slowest(4096).Where(r => r.Status != 200).Take(5).Select(r => $"{r.Status} {r.Outcome} {r.Error}")));
    }
}
