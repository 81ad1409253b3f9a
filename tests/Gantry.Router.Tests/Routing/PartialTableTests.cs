using System.Net.Http.Json;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Contracts.Status;
using Gantry.Router.Observability;
using Gantry.Router.Tests.Sources;
using Gantry.Router.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Gantry.Router.Tests.Routing;

/// <summary>Issue 15: one app claiming another's host must not freeze routing for every other app.</summary>
public sealed class PartialTableTests
{
    private static RouteTableSpec Duplicated(long version, string a, string b, string c) => Tables.Table(version,
        [Tables.Route("a-web-0", "a", "x.test"), Tables.Route("b-web-0", "b", "x.test"), Tables.Route("c-web-0", "c", "c.test")],
        Tables.Cluster("a", a), Tables.Cluster("b", b), Tables.Cluster("c", c));

    [Fact]
    public async Task ApplyTable_OneDuplicateHost_ThirdAppStillRoutedAndFirstOwnerKeepsTheHost()
    {
        await using var a = await TestBackend.StartNamedAsync("a");
        await using var b = await TestBackend.StartNamedAsync("b");
        await using var c = await TestBackend.StartNamedAsync("c");
        await using var router = await TestRouter.StartAsync(Tables.Single(a.Address, version: 1));

        var errors = router.Router.ApplyTable(Duplicated(2, a.Address, b.Address, c.Address));

        Assert.NotEmpty(errors);
        Assert.Equal(2, router.Router.CurrentTable.Version);
        Assert.Equal("200 c", await router.GetStringAsync("c.test"));
        Assert.Equal("200 a", await router.GetStringAsync("x.test"));
        Assert.Equal(0, b.Requests);
        var rejected = Assert.Single(router.Router.CaptureStatus().Rejected);
        Assert.Equal("b-web-0", rejected.Id);
    }

    [Fact]
    public async Task ApplyTable_NoValidRoute_KeepsTheCurrentTable()
    {
        await using var a = await TestBackend.StartNamedAsync("a");
        await using var router = await TestRouter.StartAsync(Tables.Single(a.Address, version: 1));

        var errors = router.Router.ApplyTable(Tables.Table(2, [Tables.Route("r", "missing", "app.test")]));

        Assert.NotEmpty(errors);
        Assert.Equal(1, router.Router.CurrentTable.Version);
        Assert.Equal("200 a", await router.GetStringAsync("app.test"));
    }

    [Fact]
    public async Task AdminStatus_TableWithDuplicate_ListsTheRejectedRoute()
    {
        await using var a = await TestBackend.StartNamedAsync("a");
        await using var router = await TestRouter.StartAsync();
        Assert.NotEmpty(router.Router.ApplyTable(Duplicated(3, a.Address, a.Address, a.Address)));

        var report = await router.Client.GetFromJsonAsync($"{router.Admin}/status", RouterStatusJsonContext.Default.RouterStatusReport);

        Assert.NotNull(report);
        Assert.Equal(3, report.TableVersion);
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal("routes[1]", rejected.Path);
        Assert.Equal("b-web-0", rejected.Id);
        Assert.Contains("x.test", rejected.Reason, StringComparison.Ordinal);
        var metrics = await router.Client.GetStringAsync($"{router.Admin}/metrics");
        Assert.Contains("gantry_router_route_table_rejected_entries 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_SameBadTableTwice_LoggedOncePerVersionAndServed()
    {
        await using var a = await TestBackend.StartNamedAsync("a");
        await using var c = await TestBackend.StartNamedAsync("c");
        await using var feed = await FeedServer.StartAsync();
        var log = new ListLogger();
        using var factory = new ListLoggerFactory(log);
        await using var router = await TestRouter.StartAsync(configure: o => o with
        {
            ServerUrl = new Uri(feed.Url),
            LoggerFactory = factory,
            FeedInitialBackoff = TimeSpan.FromMilliseconds(100),
        });

        feed.Push(Duplicated(5, a.Address, a.Address, c.Address));
        feed.Push(Duplicated(5, a.Address, a.Address, c.Address));
        feed.Push(Tables.Table(6, [Tables.Route("c-web-0", "c", "c.test")], Tables.Cluster("c", c.Address)));
        for (var i = 0; i < 500 && router.Router.CurrentTable.Version != 6; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(6, router.Router.CurrentTable.Version);
        Assert.Equal("200 c", await router.GetStringAsync("c.test"));
        Assert.Single(log.Entries, e => e.Id.Id == 3003);
        Assert.Empty(router.Router.CaptureStatus().Rejected);
    }

    private sealed class ListLoggerFactory(ListLogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
