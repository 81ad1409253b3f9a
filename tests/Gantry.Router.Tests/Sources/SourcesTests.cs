using System.Text.Json;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Sources;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Sources;

public sealed class SourcesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-router-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task WaitForVersionAsync(TestRouter router, long version)
    {
        for (var i = 0; i < 500 && router.Router.CurrentTable.Version != version; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(version, router.Router.CurrentTable.Version);
    }

    [Fact]
    public async Task Feed_ServerStopsAndReturns_RoutingContinuesThenResyncs()
    {
        await using var one = await TestBackend.StartNamedAsync("one");
        await using var two = await TestBackend.StartNamedAsync("two");
        var feed = await FeedServer.StartAsync();
        var port = feed.Port;
        await using var router = await TestRouter.StartAsync(configure: o => o with
        {
            ServerUrl = new Uri(feed.Url),
            ServerToken = "secret-token",
            StateDirectory = _dir,
            FeedInitialBackoff = TimeSpan.FromMilliseconds(100),
        });

        feed.PushRaw("{\"heartbeat\":true}");
        feed.Push(Tables.Single(one.Address, version: 1));
        await WaitForVersionAsync(router, 1);
        Assert.Equal("Bearer secret-token", feed.LastAuthorization);
        Assert.Equal("200 one", await router.GetStringAsync("app.test"));

        await feed.DisposeAsync();
        Assert.Equal("200 one", await router.GetStringAsync("app.test"));

        await using var again = await FeedServer.StartAsync(port);
        again.PushRaw("{\"version\": 99, \"routes\": [{\"id\": \"x\"}]}");
        again.Push(Tables.Single(two.Address, version: 2));
        await WaitForVersionAsync(router, 2);
        Assert.Equal("200 two", await router.GetStringAsync("app.test"));
        Assert.True(router.Router.Metrics.TableRejected >= 1);
    }

    [Fact]
    public async Task Feed_ServerRestarts_StatusReportedToItAgainWithoutATableChange()
    {
        await using var one = await TestBackend.StartNamedAsync("one");
        var feed = await FeedServer.StartAsync();
        var port = feed.Port;
        // No keepalive within the test: only the feed dropping and coming back can make the router report again.
        await using var router = await TestRouter.StartAsync(configure: o => o with
        {
            ServerUrl = new Uri(feed.Url),
            StateDirectory = _dir,
            FeedInitialBackoff = TimeSpan.FromMilliseconds(100),
            StatusKeepalive = TimeSpan.FromHours(1),
            StatusCheckInterval = TimeSpan.FromMilliseconds(100),
        });
        feed.Push(Tables.Single(one.Address, version: 1));
        await WaitForVersionAsync(router, 1);
        await WaitForAsync(() => feed.Reports.Any(r => r.TableVersion == 1));

        // A restarted server knows no router; it sends the same table (same version): no swap, no health change.
        await feed.DisposeAsync();
        await Task.Delay(500);
        await using var again = await FeedServer.StartAsync(port);
        again.Push(Tables.Single(one.Address, version: 1));

        await WaitForAsync(() => again.Reports.Any(r => r.TableVersion == 1));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task Restart_FromSavedTable_ServesWithoutFeed()
    {
        await using var backend = await TestBackend.StartNamedAsync("saved");
        await using (var first = await TestRouter.StartAsync(Tables.Single(backend.Address, version: 5), o => o with { StateDirectory = _dir }))
        {
            Assert.Equal("200 saved", await first.GetStringAsync("app.test"));
        }

        Assert.True(File.Exists(Path.Combine(_dir, RouteTableStore.FileName)));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));

        // The feed points nowhere: the router must still serve the saved table.
        await using var second = await TestRouter.StartAsync(configure: o => o with
        {
            StateDirectory = _dir,
            ServerUrl = new Uri($"http://127.0.0.1:{Forwarder.ForwardingTests.FreePort()}"),
        });
        Assert.Equal(5, second.Router.CurrentTable.Version);
        Assert.Equal("200 saved", await second.GetStringAsync("app.test"));
    }

    [Fact]
    public void FileSource_InvalidTable_ListsEveryErrorWithTheFileName()
    {
        var path = Path.Combine(_dir, "routes.json");
        var table = new RouteTableSpec
        {
            Routes = [new RouteSpec { Id = "r", Hosts = ["a b"], ClusterId = "nope" }],
        };
        File.WriteAllText(path, JsonSerializer.Serialize(table, RouteTableJsonContext.Default.RouteTableSpec));

        var ex = Assert.Throws<RouteTableException>(() => RouteFileSource.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.Errors.Count);
    }

    [Fact]
    public void FileSource_MalformedJson_NamesLine()
    {
        var path = Path.Combine(_dir, "broken.json");
        File.WriteAllText(path, "{\n \"version\": 1,\n \"routes\": [ nope ]\n}");
        var ex = Assert.Throws<RouteTableException>(() => RouteFileSource.Load(path));
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }
}
