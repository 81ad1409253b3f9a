using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gantry.Router.Contracts.Requests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gantry.IntegrationTests.Console;

/// <summary>
/// Issue 12's traffic pages in real Chromium against a real server and dockerd: the Apps page's req/s, 5xx share, p95 and
/// sparkline from the metrics history, the app page's CPU and memory against limits and its routes, the Requests page
/// (slowest first, filters, a slow request's waterfall) and the Metrics page with a release marker. The requests are sent
/// as a router sends them (`POST /api/v1/router/requests` with the routers' token), so the server's real request log, tally
/// and sampler produce what the pages show; another team's user gets 404 on every page.
/// </summary>
public sealed class ConsoleTrafficTests(IdentityFixture fixture, ChromiumFixture chromium) : IClassFixture<IdentityFixture>, IClassFixture<ChromiumFixture>
{
    private const string SlowPath = "/reports/slow";

    [Fact]
    public async Task TrafficPages_ReportedRequests_ShowOnAppsRequestsAndMetricsPages()
    {
        var replica = await ReplicaAsync();
        await ReportAsync(replica);
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);

        // Requests: the slowest first, its waterfall says where the 850 ms went.
        await page.GotoAsync($"/apps/{fixture.App}/requests?order=slowest");
        var first = page.Locator("[data-testid=requests] > tbody > tr").First;
        await Expect(first.GetByTestId("total")).ToHaveTextAsync("850 ms");
        await Expect(first.GetByTestId("replica")).ToHaveTextAsync(replica);
        await first.Locator("summary").ClickAsync();
        var waterfall = first.GetByTestId("waterfall");
        await Expect(waterfall.Locator("tr[data-phase]")).ToHaveCountAsync(5);
        await Expect(waterfall.Locator("tr[data-phase='upstream headers']").GetByTestId("phase-ms")).ToHaveTextAsync("800 ms");
        await Expect(waterfall.Locator("tr[data-phase='connect']").GetByTestId("phase-ms")).ToHaveTextAsync("2 ms");
        await ConsolePage.ScreenshotAsync(page, "requests-waterfall.png");
        await page.SelectOptionAsync("[data-testid=status-filter]", "5xx");
        await page.GetByTestId("apply").ClickAsync();
        await Expect(page.Locator("[data-testid=requests] > tbody > tr [data-testid=status]")).ToHaveTextAsync(["503", "503", "503", "503"]);
        await page.GotoAsync($"/apps/{fixture.App}/requests?path={Uri.EscapeDataString(SlowPath)}");
        await Expect(page.Locator("[data-testid=requests] > tbody > tr")).ToHaveCountAsync(1);

        // Apps: the sampler turns the reports into the app's rate, errors and p95 at its next pass (every 10 s).
        var row = page.Locator($"tr[data-app='{fixture.App}']");
        await EventuallyAsync(page, "/", () => row.GetByTestId("rate").InnerTextAsync(), text => text != "—");
        await Expect(row.GetByTestId("errors")).ToHaveTextAsync("10 %");
        await Expect(row.GetByTestId("p95")).ToHaveTextAsync(new Regex("^[0-9.]+ ms$"));
        await Expect(row.GetByTestId("sparkline").Locator("polyline")).Not.ToHaveCountAsync(0);
        await ConsolePage.ScreenshotAsync(page, "apps-traffic.png");

        // App page: the replica's memory against its limit (CPU needs two reads), and the route-less app says so.
        await EventuallyAsync(page, $"/apps/{fixture.App}", () => page.GetByTestId("replicas-web").GetByTestId("memory").First.InnerTextAsync(), text => text != "—");
        await Expect(page.GetByTestId("replicas-web").GetByTestId("memory").First).ToHaveTextAsync(new Regex(@"^[0-9.]+ (B|KiB|MiB) of ([0-9.]+ (MiB|GiB)|no limit)$"));
        await Expect(page.GetByTestId("no-routes").Or(page.GetByTestId("routes"))).ToBeVisibleAsync();

        // Metrics: four charts for the service, requests drawn, release 1 marked in the last hour.
        await page.GotoAsync($"/apps/{fixture.App}/metrics");
        var web = page.Locator("section[data-service='web']");
        await Expect(web.Locator("figure[data-chart]")).ToHaveCountAsync(4);
        await Expect(web.Locator("figure[data-chart='requests'] polyline")).Not.ToHaveCountAsync(0);
        await Expect(web.Locator("figure[data-chart='requests'] [data-testid=release-marker]")).ToHaveCountAsync(1);
        await ConsolePage.ScreenshotAsync(page, "metrics.png");
        foreach (var range in new[] { "6h", "24h", "7d" })
        {
            Assert.Equal(200, (await page.GotoAsync($"/apps/{fixture.App}/metrics?range={range}"))!.Status);
            await Expect(page.Locator("nav.ranges a[aria-current=page]")).ToHaveTextAsync(range);
        }
    }

    [Fact]
    public async Task LivePages_RequestsMetricsAndAppsOpen_NewReportsAndSamplerPassesAppearWithoutAReload()
    {
        const string Unreloaded = "window.__gantryNotReloaded";
        var replica = await ReplicaAsync();
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);
        var first = "/live/" + Guid.NewGuid().ToString("N")[..8];
        await page.GotoAsync($"/apps/{fixture.App}/requests?path={Uri.EscapeDataString("/live/")}");
        await ConsolePage.ExpectFollowingLiveAsync(page);
        await page.EvaluateAsync(Unreloaded + " = true");

        await ReportOneAsync(replica, first);
        var row = page.Locator("[data-testid=requests] > tbody > tr").Filter(new() { HasText = first });
        await Expect(row).ToHaveCountAsync(1);
        // A waterfall the reader opened stays open when the list is drawn again for a newer request (focus elsewhere).
        await row.Locator("summary").ClickAsync();
        await page.EvaluateAsync("document.activeElement.blur()");
        var second = "/live/" + Guid.NewGuid().ToString("N")[..8];
        await ReportOneAsync(replica, second);
        await Expect(page.Locator("[data-testid=requests] > tbody > tr").Filter(new() { HasText = second })).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("waterfall")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>(Unreloaded + " === true"), "the Requests page reloaded");

        // Metrics: the sampler's next pass (every 10 s while a replica runs) redraws the charts in place.
        await page.GotoAsync($"/apps/{fixture.App}/metrics");
        await ConsolePage.ExpectFollowingLiveAsync(page);
        await page.EvaluateAsync(Unreloaded + " = true");
        await Expect(page.GetByTestId("live-status")).ToHaveAttributeAsync("data-live-updates", new Regex("^[1-9][0-9]*$"), new() { Timeout = 40_000 });
        await Expect(page.Locator("section[data-service='web'] figure[data-chart]")).ToHaveCountAsync(4);
        Assert.True(await page.EvaluateAsync<bool>(Unreloaded + " === true"), "the Metrics page reloaded");

        // Apps: the pass after the routers report the web service's requests redraws the app's figures in place. 40 answers,
        // all 503, move its 5xx share whatever the other test reported before (nothing, or 10 % of 40).
        await page.GotoAsync("/");
        await ConsolePage.ExpectFollowingLiveAsync(page);
        await page.EvaluateAsync(Unreloaded + " = true");
        var errors = page.Locator($"tr[data-app='{fixture.App}']").GetByTestId("errors");
        var before = await errors.InnerTextAsync();
        await PostAsync([.. Enumerable.Range(0, 40).Select(i => Report(replica, $"/live/apps/{i}", 503, service: "web"))]);
        await Expect(errors).Not.ToHaveTextAsync(before, new() { Timeout = 40_000 });
        await Expect(errors).ToHaveTextAsync(new Regex("^(100|55) %$"));
        Assert.True(await page.EvaluateAsync<bool>(Unreloaded + " === true"), "the Apps page reloaded");
    }

    [Fact]
    public async Task TrafficPages_UserOfAnotherTeam_Gets404()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "deployer-b", IdentityFixture.Password);

        foreach (var path in new[] { "requests", "metrics" })
        {
            var answer = await page.GotoAsync($"/apps/{fixture.App}/{path}");
            Assert.Equal(404, answer!.Status);
            await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
        }
    }

    /// <summary>40 requests to the app's web service as a router reports them: 36 answered 200 (one slow), 4 answered 503.</summary>
    private async Task ReportAsync(string replica)
    {
        var now = DateTimeOffset.UtcNow;
        var reports = new List<RequestReport>();
        for (var i = 0; i < 40; i++)
        {
            var slow = i == 7;
            reports.Add(new RequestReport
            {
                Time = now.AddMilliseconds(-i * 100),
                Entrypoint = "web",
                Host = "traffic.test",
                Method = "GET",
                Path = slow ? SlowPath : $"/items/{i}",
                Status = i % 10 == 9 ? 503 : 200,
                App = fixture.App,
                Service = "web",
                Replica = replica,
                Outcome = RequestOutcome.Ok,
                Attempts = 1,
                TraceId = Guid.NewGuid().ToString("N"),
                RequestId = $"req-{i}",
                RouteMicroseconds = 100,
                WaitMicroseconds = slow ? 500 : 50,
                ConnectMicroseconds = slow ? 2000 : -1,
                UpstreamHeadersMicroseconds = slow ? 800_000 : 3_000 + i * 100,
                BodyMicroseconds = slow ? 47_400 : 200,
                TotalMicroseconds = slow ? 850_000 : 3_350 + i * 100,
            });
        }
        using var router = fixture.Client("router");
        var answer = await router.PostAsync("/api/v1/router/requests", JsonContent.Create(new RequestReportBatch(reports), RequestReportJsonContext.Default.RequestReportBatch));
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
    }

    private Task ReportOneAsync(string replica, string path) => PostAsync([Report(replica, path, 200, service: null)]);

    /// <summary>
    /// One fast request as a router reports it. Without a service the request log keeps it for the Requests page, and the
    /// tally (the Apps page's rate and errors) does not count it.
    /// </summary>
    private RequestReport Report(string replica, string path, int status, string? service) => new()
    {
        Time = DateTimeOffset.UtcNow,
        Entrypoint = "web",
        Host = "traffic.test",
        Method = "GET",
        Path = path,
        Status = status,
        App = fixture.App,
        Service = service,
        Replica = replica,
        Outcome = RequestOutcome.Ok,
        Attempts = 1,
        TraceId = Guid.NewGuid().ToString("N"),
        RequestId = "req-" + Guid.NewGuid().ToString("N")[..12],
        RouteMicroseconds = 100,
        WaitMicroseconds = 50,
        ConnectMicroseconds = -1,
        UpstreamHeadersMicroseconds = 2_000,
        BodyMicroseconds = 100,
        TotalMicroseconds = 2_250,
    };

    private async Task PostAsync(IReadOnlyList<RequestReport> reports)
    {
        using var router = fixture.Client("router");
        var answer = await router.PostAsync("/api/v1/router/requests", JsonContent.Create(new RequestReportBatch(reports), RequestReportJsonContext.Default.RequestReportBatch));
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
    }

    private async Task<string> ReplicaAsync()
    {
        using var api = fixture.Client("admin");
        using var app = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/apps/{fixture.App}"));
        return app.RootElement.GetProperty("status").GetProperty("services")[0].GetProperty("replicas")[0].GetProperty("name").GetString()!;
    }

    /// <summary>Reloads <paramref name="path"/> until <paramref name="read"/> satisfies <paramref name="done"/> (the sampler's passes are 10 s apart).</summary>
    private static async Task EventuallyAsync(IPage page, string path, Func<Task<string>> read, Func<string, bool> done)
    {
        var last = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(1000))
        {
            await page.GotoAsync(path);
            if (done(last = await read()))
            {
                return;
            }
        }
        Assert.Fail($"{path} still showed '{last}' after 60 s");
    }
}
