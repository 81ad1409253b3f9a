using System.Net;
using System.Text.Json;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.Contracts.Status;
using Gantry.Router.Control;
using Gantry.Router.Observability;
using Gantry.Router.Tests.Forwarder;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Observability;

public sealed class RouterStatusTests
{
    private static RouteTableSpec OneDestination(long version, string destinationId, string address) =>
        Tables.Table(version, [Tables.Route("app", "app", "app.test")],
            new ClusterSpec { Id = "app", Destinations = [new DestinationSpec { Id = destinationId, Address = address }] });

    private static HttpRequestMessage Get(TestRouter router, string path = "/")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, router.External + path);
        request.Headers.Host = "app.test";
        return request;
    }

    [Fact]
    public async Task ApplyTable_DestinationRemovedMidRequest_RequestCompletesWithFullBody()
    {
        await using var old = await GatedBackend.StartAsync();
        await using var next = await TestBackend.StartNamedAsync("next");
        await using var router = await TestRouter.StartAsync(OneDestination(1, "old", old.Address));

        using var response = await router.Client.SendAsync(Get(router), HttpCompletionOption.ResponseHeadersRead);
        await old.Started.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(router.Router.ApplyTable(OneDestination(2, "next", next.Address)));
        // New requests already follow the new table while the old one is still streaming.
        Assert.Equal("200 next", await router.GetStringAsync("app.test"));
        Assert.Equal(1, router.Router.Routing.Retired.Count);
        old.Release();
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GatedBackend.ExpectedBody.Length, body.Length);
        Assert.Equal(GatedBackend.ExpectedBody, body);
        var record = Assert.Single(await router.RecordsAsync(2), r => r.DestinationId == "old");
        Assert.Equal((200, RequestOutcome.Ok), (record.Status, record.Outcome));
    }

    [Fact]
    public async Task Heartbeat_DestinationRemovedWhileBusy_ReportedInFlightUntilItsRequestEnds()
    {
        await using var status = await StatusServer.StartAsync();
        await using var old = await GatedBackend.StartAsync();
        await using var next = await TestBackend.StartNamedAsync("next");
        // No keepalive within the test: every report is the start, a swap, or a change the local check found.
        await using var router = await TestRouter.StartAsync(OneDestination(1, "old", old.Address),
            o => o with { ServerUrl = new Uri(status.Url), ServerToken = "tok", StatusKeepalive = TimeSpan.FromHours(1),
                StatusCheckInterval = TimeSpan.FromMilliseconds(50), RouterId = "router-a" });

        var first = await status.WaitForAsync(r => r.TableVersion == 1);
        Assert.Equal(("router-a", "Bearer tok"), (first.Router, status.LastAuthorization));
        var settled = status.Reports.Count;
        using var response = await router.Client.SendAsync(Get(router), HttpCompletionOption.ResponseHeadersRead);
        await old.Started.WaitAsync(TimeSpan.FromSeconds(10));
        // A request on a routed destination decides nothing on the server: several checks pass without a report.
        await Task.Delay(300);
        Assert.Equal(settled, status.Reports.Count);
        Assert.Equal([new DestinationInFlight("app", "old", 1)], router.Router.CaptureStatus().InFlight);

        Assert.Empty(router.Router.ApplyTable(OneDestination(2, "next", next.Address)));
        var retired = await status.WaitForAsync(r => r.TableVersion == 2);
        Assert.Equal([new DestinationInFlight("app", "old", 1)], retired.InFlight);

        old.Release();
        Assert.Equal(GatedBackend.ExpectedBody, await response.Content.ReadAsStringAsync());
        // Its last request ending is what the server's drain waits for: the next check reports it, without any keepalive.
        await status.WaitForAsync(r => r.TableVersion == 2 && r.InFlight.Count == 0, TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        var after = status.Reports[^1];
        Assert.Equal((2L, 0), (after.TableVersion, after.InFlight.Count));
        Assert.Equal(settled + 2, status.Reports.Count);
    }

    [Fact]
    public async Task Heartbeat_IdleRouter_PostsOnlyAtStartThenOnTableChange()
    {
        await using var status = await StatusServer.StartAsync();
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var router = await TestRouter.StartAsync(OneDestination(1, "b", backend.Address),
            o => o with { ServerUrl = new Uri(status.Url), StatusKeepalive = TimeSpan.FromHours(1), StatusCheckInterval = TimeSpan.FromMilliseconds(20) });
        await status.WaitForAsync(r => r.TableVersion == 1);
        var settled = status.Reports.Count;

        // About 50 local checks and some served traffic: nothing the server acts on changed.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("200 b", await router.GetStringAsync("app.test"));
            await Task.Delay(200);
        }

        Assert.Equal(settled, status.Reports.Count);
        Assert.Empty(router.Router.ApplyTable(OneDestination(2, "b", backend.Address)));
        await status.WaitForAsync(r => r.TableVersion == 2, TimeSpan.FromSeconds(5));
        Assert.Equal(settled + 1, status.Reports.Count);
    }

    [Fact]
    public async Task DisposeAsync_RouterStops_LastReportSaysItLeaves()
    {
        await using var status = await StatusServer.StartAsync();
        var router = await TestRouter.StartAsync(configure: o => o with { ServerUrl = new Uri(status.Url), StatusKeepalive = TimeSpan.FromHours(1) });
        await status.WaitForAsync(_ => true);
        Assert.DoesNotContain(status.Reports, r => r.Leaving);

        await router.DisposeAsync();

        Assert.True(status.Reports[^1].Leaving);
        Assert.Single(status.Reports, r => r.Leaving);
    }

    [Fact]
    public async Task Resend_MeaningUnchanged_PostsAgainAtOnce()
    {
        await using var status = await StatusServer.StartAsync();
        var routing = new Gantry.Router.Routing.RoutingState(new RouterMetrics(), TimeProvider.System);
        await using var link = new ServerLink(new Uri(status.Url), null);
        await using var reporter = new RouterStatusReporter(link, "r1", routing, TimeProvider.System, new ListLogger(),
            keepalive: TimeSpan.FromHours(1), checkInterval: TimeSpan.FromMilliseconds(20));
        reporter.Start();
        await status.WaitForAsync(_ => true);
        await Task.Delay(200);
        Assert.Single(status.Reports);

        // What the router does when its route feed drops or comes back: the server may have restarted and forgotten it.
        reporter.Resend();

        await status.WaitForAsync(_ => status.Reports.Count == 2, TimeSpan.FromSeconds(5));
        // The server holds the report before the reporter has read the server's answer: wait for the count it keeps.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (reporter.Sent < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(2, reporter.Sent);
    }

    [Fact]
    public async Task Heartbeat_TablesApplied_ReportFollowsEachSwapWithoutWaitingForTheInterval()
    {
        await using var status = await StatusServer.StartAsync();
        await using var backend = await TestBackend.StartNamedAsync("b");
        // An interval of an hour: every report after the first can only be one that a swap asked for.
        await using var router = await TestRouter.StartAsync(configure: o => o with { ServerUrl = new Uri(status.Url), StatusKeepalive = TimeSpan.FromHours(1) });
        var first = await status.WaitForAsync(_ => true);
        Assert.Equal(0, first.TableVersion);
        Assert.Equal(router.Router.Id, first.Router);

        foreach (var version in new long[] { 5, 6, 9 })
        {
            Assert.Empty(router.Router.ApplyTable(OneDestination(version, "b", backend.Address)));
            var report = await status.WaitForAsync(r => r.TableVersion == version, TimeSpan.FromSeconds(10));
            Assert.Empty(report.InFlight);
        }

        Assert.Equal(9, router.Router.CaptureStatus().TableVersion);
        // A burst of swaps is coalesced: at most one extra report per 200 ms, and the last version always arrives.
        var before = status.Reports.Count;
        for (var version = 10; version <= 30; version++)
        {
            Assert.Empty(router.Router.ApplyTable(OneDestination(version, "b", backend.Address)));
        }

        await status.WaitForAsync(r => r.TableVersion == 30, TimeSpan.FromSeconds(10));
        Assert.True(status.Reports.Count - before < 10, $"{status.Reports.Count - before} reports for 21 swaps");
    }

    [Fact]
    public async Task Heartbeat_ActiveHealth_ListsDestinationsNotYetHealthyIncludingWeightZero()
    {
        await using var status = await StatusServer.StartAsync();
        await using var backend = await TestBackend.StartNamedAsync("up");
        var closed = $"http://127.0.0.1:{ForwardingTests.FreePort()}";
        var table = Tables.Table(4, [Tables.Route("app", "app", "app.test")], new ClusterSpec
        {
            Id = "app",
            Health = new HealthCheckSpec { Path = "/", Interval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromSeconds(1) },
            // A staged replica stands at weight 0: probed, never sent requests.
            Destinations = [new DestinationSpec { Id = "staged", Address = backend.Address, Weight = 0 }, new DestinationSpec { Id = "down", Address = closed }],
        });
        // No keepalive: the report that lists "down" alone can only follow the health change of "staged".
        await using var router = await TestRouter.StartAsync(table,
            o => o with { ServerUrl = new Uri(status.Url), StatusKeepalive = TimeSpan.FromHours(1) });

        var report = await status.WaitForAsync(r => r.TableVersion == 4 && r.Unready.SequenceEqual(["down"]), TimeSpan.FromSeconds(10));

        Assert.DoesNotContain("staged", report.Unready);
        Assert.Contains("down", router.Router.CaptureStatus().Unready);
    }

    [Fact]
    public async Task Heartbeat_ServerUnreachable_RoutingContinuesAndFailuresAreCounted()
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        var closed = $"http://127.0.0.1:{ForwardingTests.FreePort()}";
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address),
            o => o with { ServerUrl = new Uri(closed), StatusCheckInterval = TimeSpan.FromMilliseconds(50) });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (router.Router.Status!.Failures < 3)
        {
            Assert.Equal("200 b", await router.GetStringAsync("app.test"));
            await Task.Delay(20, timeout.Token);
        }

        Assert.Equal(0, router.Router.Status.Sent);
        Assert.Equal(1, router.Router.CaptureStatus().TableVersion);
    }

    [Fact]
    public async Task SendAsync_OutageThenRecovery_OneWarningPerOutage()
    {
        var port = ForwardingTests.FreePort();
        var routing = new Gantry.Router.Routing.RoutingState(new RouterMetrics(), TimeProvider.System);
        var log = new ListLogger();
        await using var link = new ServerLink(new Uri($"http://127.0.0.1:{port}"), null);
        await using var reporter = new RouterStatusReporter(link, "r1", routing, TimeProvider.System, log);

        for (var i = 0; i < 3; i++)
        {
            Assert.False(await reporter.SendAsync(CancellationToken.None));
        }

        await using (var server = await TestBackend.StartAsync(ctx => Task.CompletedTask, port: port))
        {
            Assert.True(await reporter.SendAsync(CancellationToken.None));
            Assert.True(await reporter.SendAsync(CancellationToken.None));
        }

        Assert.False(await reporter.SendAsync(CancellationToken.None));

        Assert.Equal((3 + 1, 2L), (reporter.Failures, reporter.Sent));
        Assert.Equal([1501, 1502, 1501], log.Entries.Select(e => e.Id.Id));
    }

    [Fact]
    public void CaptureStatus_RouterWithoutTable_VersionZeroAndNothingInFlight()
    {
        var routing = new Gantry.Router.Routing.RoutingState(new RouterMetrics(), TimeProvider.System);
        var now = DateTimeOffset.Parse("2026-11-22T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        var report = RouterStatusReporter.Capture("r1", routing, now);

        Assert.Equal(new RouterStatusReport("r1", 0, now, report.InFlight) { Unready = report.Unready }, report);
        Assert.Empty(report.InFlight);
        Assert.Empty(report.Unready);
    }

    [Fact]
    public void RouterStatusJson_Report_UsesTheAgreedCamelCaseShapeAndRoundTrips()
    {
        var report = new RouterStatusReport("host-1-abc", 42, DateTimeOffset.Parse("2026-11-22T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            [new DestinationInFlight("shop-web", "shop-web-r7-1", 3)])
        {
            Unready = ["shop-web-r8-1"],
            Rejected = [new Gantry.Router.Contracts.Routes.RejectedEntry("routes[1]", "blog-web-0", "hosts[0]: taken")],
        };

        var json = JsonSerializer.Serialize(report, RouterStatusJsonContext.Default.RouterStatusReport);
        var back = JsonSerializer.Deserialize(json, RouterStatusJsonContext.Default.RouterStatusReport)!;

        Assert.Equal("""{"router":"host-1-abc","tableVersion":42,"time":"2026-11-22T06:00:00+00:00","inFlight":[{"clusterId":"shop-web","destinationId":"shop-web-r7-1","count":3}],"unready":["shop-web-r8-1"],"rejected":[{"path":"routes[1]","id":"blog-web-0","reason":"hosts[0]: taken"}]}""", json);
        Assert.Equal((report.Router, report.TableVersion, report.Time), (back.Router, back.TableVersion, back.Time));
        Assert.Equal(report.InFlight, back.InFlight);
        Assert.Equal(report.Unready, back.Unready);
        Assert.Equal(report.Rejected, back.Rejected);
    }

    [Fact]
    public async Task RouterId_NotConfigured_HostPidAndRandomPerRouter()
    {
        await using var a = await TestRouter.StartAsync();
        await using var b = await TestRouter.StartAsync();

        Assert.StartsWith($"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-", a.Router.Id, StringComparison.Ordinal);
        Assert.NotEqual(a.Router.Id, b.Router.Id);
        Assert.Equal(a.Router.Id, a.Router.CaptureStatus().Router);
    }
}
