using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gantry.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gantry.IntegrationTests.Console;

/// <summary>
/// Issue 12, the console's second slice in real Chromium against a real server and dockerd: releases with their masked
/// diffs and one-click rollback, deploy from a pasted compose file with the pre-deploy check, scale, events and live
/// logs. Deployers get the buttons, viewers do not and the server refuses their forged POSTs, another team gets 404.
/// Every app here is this class's own (the fixture's app is left as <see cref="ConsoleTests"/> expects it).
/// </summary>
public sealed partial class ConsoleActionsTests(IdentityFixture fixture, ChromiumFixture chromium) : IClassFixture<IdentityFixture>, IClassFixture<ChromiumFixture>
{
    private const string Secret = "s3cr3t-value-never-shown";

    [Fact]
    public async Task Releases_Deployer_SeesTheMaskedDiffAndRollsBackWithOneConfirmedClick()
    {
        var app = await DeployTwiceAsync("rb");
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "deployer-a", IdentityFixture.Password);

        await page.GotoAsync($"/apps/{app}/releases");

        var second = page.Locator("tr[data-release='2']");
        await Expect(second.GetByTestId("state")).ToHaveTextAsync(new Regex("\\(current\\)$"));
        await Expect(second.Locator("td[data-label=By]")).ToHaveTextAsync("admin");
        await Expect(second.GetByTestId("summary")).ToContainTextAsync("2 changes");
        await second.GetByTestId("summary").ClickAsync();
        await Expect(second.GetByTestId("diff")).ToContainTextAsync("~ services.web.environment.GREETING: hello → bonjour");
        await Expect(second.GetByTestId("diff")).ToContainTextAsync("~ services.web.environment.API_TOKEN: •••••• → •••••• (changed)");
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
        await ConsolePage.ScreenshotAsync(page, "releases.png");

        await page.Locator("tr[data-release='1']").GetByTestId("rollback-to").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/apps/{app}/rollback\\?to=1$"));
        await Expect(page.GetByTestId("target")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("what-happens")).ToContainTextAsync("Release 1's replicas");
        await ConsolePage.ScreenshotAsync(page, "rollback.png");
        // The page says what the API's preview (gantry rollback --dry-run) says.
        using var deployer = fixture.Client("deployer-a");
        using var preview = JsonDocument.Parse(await deployer.GetStringAsync($"/api/v1/apps/{app}/rollback?to=1"));
        Assert.Equal((2, 1, false), (preview.RootElement.GetProperty("from").GetInt64(), preview.RootElement.GetProperty("target").GetInt64(), preview.RootElement.GetProperty("warm").GetBoolean()));
        await page.GetByTestId("confirm-rollback").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/apps/{app}/releases\\?rolledBack=3$"));
        await Expect(page.GetByTestId("rolled-back")).ToContainTextAsync("release 3 restores release 1");
        // The API agrees: the app's current release is the rollback, made by the signed-in user.
        using var api = fixture.Client("viewer-a");
        using var detail = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/apps/{app}"));
        Assert.Equal(3, detail.RootElement.GetProperty("spec").GetProperty("release").GetInt64());
        using var release = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/apps/{app}/releases/3"));
        Assert.Equal(1, release.RootElement.GetProperty("rollbackOf").GetInt64());
        Assert.Equal("deployer-a", release.RootElement.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task Releases_Viewer_SeesNoRollbackAndAForgedPostIsRefused403()
    {
        var app = await DeployTwiceAsync("rv");
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);

        await page.GotoAsync($"/apps/{app}/releases");
        await Expect(page.Locator("tr[data-release='2']")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("rollback-to")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("rollback-previous")).ToHaveCountAsync(0);
        await Expect(page.Locator("nav.tabs a", new() { HasText = "Deploy" })).ToHaveCountAsync(0);
        var confirm = await page.GotoAsync($"/apps/{app}/rollback?to=1");
        Assert.Equal(403, confirm!.Status);
        await Expect(page.GetByTestId("confirm-rollback")).ToHaveCountAsync(0);

        // A viewer who builds the form by hand (with a valid anti-forgery token from another form) is refused by the server.
        var forged = await ConsolePage.PostWithTokenAsync(page, $"/apps/{app}/rollback", ("to", "1"));

        Assert.Equal(403, forged.Status);
        Assert.Contains("needs the deployer role", await forged.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await CurrentReleaseAsync(app));
        using var viewer = fixture.Client("viewer-a");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/v1/apps/{app}/rollback?to=1")).StatusCode);
    }

    [Fact]
    public async Task Releases_UserOfAnotherTeam_Gets404ForThePagesAndTheForgedPost()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "deployer-b", IdentityFixture.Password);

        foreach (var path in new[] { "releases", "rollback?to=1", "deploy", "logs" })
        {
            var answer = await page.GotoAsync($"/apps/{fixture.App}/{path}");
            Assert.True(answer!.Status == 404, $"/apps/{fixture.App}/{path} answered {answer.Status}");
            await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
        }
        var forged = await ConsolePage.PostWithTokenAsync(page, $"/apps/{fixture.App}/rollback", ("to", "1"));
        var forgedDeploy = await ConsolePage.PostWithTokenAsync(page, $"/apps/{fixture.App}/deploy", ("action", "deploy"), ("compose", "services: {}"));

        var stream = await page.APIRequest.GetAsync($"/apps/{fixture.App}/logs/stream");
        var events = await page.APIRequest.GetAsync($"/apps/{fixture.App}/events/stream");

        Assert.Equal(404, forged.Status);
        Assert.Equal(404, forgedDeploy.Status);
        Assert.Equal(404, stream.Status);
        Assert.Equal(404, events.Status);
    }

    [Fact]
    public async Task Logs_Viewer_SeesWhatTheContainerPrintedFollowsNewLinesAndPauses()
    {
        var app = await DeployTickerAsync();
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);

        await page.GotoAsync($"/apps/{app}/logs");

        var lines = page.GetByTestId("log-lines");
        var status = page.GetByTestId("log-status");
        await Expect(lines.Locator("li", new() { HasText = "ticker-ready" })).ToHaveCountAsync(1);
        await Expect(status).ToHaveTextAsync("Following new lines live.");
        // A line the container printed after the page was rendered, streamed over Server-Sent Events.
        await Expect(lines.Locator("li[data-live]").First).ToContainTextAsync(new Regex($"{app}-web-1-[0-9a-f]+ tick-[0-9]+$"));
        await ConsolePage.ScreenshotAsync(page, "logs.png");

        await page.GetByTestId("log-pause").ClickAsync();
        await Expect(status).ToHaveTextAsync(new Regex("^Paused: [0-9]+ new lines? held\\.$"));
        var shown = await lines.Locator("li").CountAsync();
        await Expect(status).ToHaveTextAsync(new Regex("^Paused: ([2-9]|[1-9][0-9]+) new lines held\\.$"));
        Assert.Equal(shown, await lines.Locator("li").CountAsync());
        await page.GetByTestId("log-pause").ClickAsync();

        await Expect(status).ToHaveTextAsync("Following new lines live.");
        Assert.True(await lines.Locator("li").CountAsync() >= shown + 2);
    }

    [Fact]
    public async Task Logs_WithoutJavaScript_ShowTheLastLinesFilteredByText()
    {
        var app = await DeployTickerAsync();
        var page = await chromium.NewPageAsync(fixture.Server.Url, javaScript: false);
        await ConsolePage.SubmitSignInAsync(page, "viewer-a", IdentityFixture.Password);
        await Expect(page.GetByTestId("user")).ToHaveTextAsync("viewer-a");
        await page.GotoAsync($"/apps/{app}/logs");
        await Expect(page.GetByTestId("log-lines").Locator("li", new() { HasText = "ticker-ready" })).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("log-pause")).ToBeHiddenAsync();

        await page.FillAsync("input[name=q]", "TICKER-READY");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("q=TICKER-READY$"));
        var only = page.GetByTestId("log-lines").Locator("li");
        await Expect(only).ToHaveCountAsync(1);
        await Expect(only).ToContainTextAsync("ticker-ready");
    }

    /// <summary>An app of this test's own whose replica says it is ready, then prints a numbered tick every second.</summary>
    private async Task<string> DeployTickerAsync()
    {
        var app = TestProject.UniqueApp("con-log");
        using var project = new TestProject("""
            services:
              web:
                image: gantry/busybox:1
                command: ["sh", "-c", "echo ticker-ready; i=0; while true; do i=$$((i+1)); echo tick-$$i; sleep 1; done"]
                init: true
            """);
        var deploy = await new CliRunner(fixture.Server).RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app, "--team", fixture.TeamA);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        return app;
    }

    [Fact]
    public async Task Deploy_PastedCompose_CheckShowsThePlanThenDeployGoesToTheRunningApp()
    {
        var app = TestProject.UniqueApp("con-dp");
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "deployer-a", IdentityFixture.Password);
        await page.GetByTestId("deploy-new").ClickAsync();
        await page.FillAsync("#name", app);
        await page.FillAsync("#compose", """
            services:
              web:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                init: true
            """);

        await page.GetByTestId("check-button").ClickAsync();

        // The CLI's words: the warnings, then the plan of the dry run; nothing was deployed.
        var plan = page.GetByTestId("plan");
        await Expect(plan).ToContainTextAsync("warning: compose.yaml: services.web.deploy.resources.limits: web sets no memory limit");
        await Expect(plan).ToContainTextAsync($"plan for {app} (dry run, nothing changed):");
        await Expect(plan).ToContainTextAsync("  web: new: starts 1 x gantry/busybox:1");
        await ConsolePage.ScreenshotAsync(page, "deploy-check.png");
        using var api = fixture.Client("deployer-a");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/apps/{app}")).StatusCode);

        await page.GetByTestId("deploy-button").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/apps/{app}\\?deployed=1$"));
        await Expect(page.GetByTestId("deployed")).ToBeVisibleAsync();
        using var detail = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/apps/{app}"));
        Assert.Equal(fixture.TeamA, detail.RootElement.GetProperty("spec").GetProperty("team").GetString());
        using var release = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/apps/{app}/releases/1"));
        Assert.Equal("deployer-a", release.RootElement.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task Deploy_BadComposeOrAPrivilegedKey_ShowsTheLocatedLineAsTheCliDoes()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "deployer-a", IdentityFixture.Password);
        var app = TestProject.UniqueApp("con-bad");
        await page.GotoAsync("/deploy");
        await page.FillAsync("#name", app);
        await page.FillAsync("#compose", """
            services:
              web:
                image: gantry/busybox:1
                restart: sometimes
            """);

        var bad = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("check-button").ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal(422, bad.Status);
        await Expect(page.GetByTestId("located")).ToHaveTextAsync(new Regex("^compose\\.yaml:4:[0-9]+: services\\.web\\.restart: "));
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("error: Invalid compose project: 1 error(s); nothing was changed");
        await ConsolePage.ScreenshotAsync(page, "deploy-refused.png");

        // The server allows privileged keys for every app, but only an admin may ask for them.
        await page.FillAsync("#compose", """
            services:
              web:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                privileged: true
            """);
        var privileged = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("deploy-button").ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal(422, privileged.Status);
        await Expect(page.GetByTestId("located")).ToHaveTextAsync(new Regex("^compose\\.yaml:5:[0-9]+: services\\.web\\.privileged: "));
        using var api = fixture.Client("admin");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/apps/{app}")).StatusCode);
    }

    [Fact]
    public async Task Deploy_Viewer_GetsNoDeployButtonsAndAForgedPostIsRefused403()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);
        await Expect(page.Locator($"tr[data-app='{fixture.App}']")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("deploy-new")).ToHaveCountAsync(0);
        await page.GotoAsync($"/apps/{fixture.App}");
        await Expect(page.Locator("nav.tabs a", new() { HasText = "Deploy" })).ToHaveCountAsync(0);

        var form = await page.GotoAsync($"/apps/{fixture.App}/deploy");
        Assert.Equal(403, form!.Status);
        await Expect(page.GetByTestId("deploy-form")).ToHaveCountAsync(0);
        var compose = "services:\n  web:\n    image: gantry/busybox:1\n    command: [\"sleep\", \"60\"]\n";
        var forged = await ConsolePage.PostWithTokenAsync(page, $"/apps/{fixture.App}/deploy", ("action", "deploy"), ("compose", compose));
        var forgedNew = await ConsolePage.PostWithTokenAsync(page, "/deploy", ("action", "deploy"), ("name", TestProject.UniqueApp("con-forged")), ("compose", compose));

        Assert.Equal(403, forged.Status);
        Assert.Equal(403, forgedNew.Status);
        // The API refuses the viewer too (what `gantry deploy` sends), naming the role needed.
        using (var viewer = fixture.Client("viewer-a"))
        using (var request = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))
        {
            var api = await viewer.PutAsync($"/api/v1/apps/{fixture.App}", request);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, api.StatusCode);
            Assert.Contains("deployer", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(1, await CurrentReleaseAsync(fixture.App));
    }

    [Fact]
    public async Task Scale_Deployer_SetsTheReplicasAndTheEventsListShowsIt()
    {
        var app = await DeployAsync("sc", ("hello", "x"));
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "deployer-a", IdentityFixture.Password);
        await page.GotoAsync($"/apps/{app}");
        await Expect(page.Locator("#main tr[data-reason=DeployAccepted]")).ToBeVisibleAsync();

        await page.GetByTestId("replicas-input-web").FillAsync("2");
        await page.GetByTestId("scale-button").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/apps/{app}\\?scaled=web%3D2$"));
        await Expect(page.GetByTestId("scaled")).ToHaveTextAsync("Scale accepted: web=2.");
        await Expect(page.Locator("#main tr[data-reason=Scaled]").First).ToContainTextAsync("scaled web=2");
        await ConsolePage.ScreenshotAsync(page, "app.png");
        using var api = fixture.Client("viewer-a");
        using var detail = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/apps/{app}"));
        Assert.Equal(2, detail.RootElement.GetProperty("spec").GetProperty("services")[0].GetProperty("replicas").GetInt32());
    }

    [Fact]
    public async Task Events_AppPageOpen_ShowsTheNextChangeLiveWithoutAReload()
    {
        var app = await DeployAsync("ev", ("hello", "x"));
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);
        await page.GotoAsync($"/apps/{app}");
        await Expect(page.GetByTestId("events-status")).ToHaveTextAsync("Following new events live.");
        await Expect(page.Locator("#events tr[data-reason=Scaled]")).ToHaveCountAsync(0);

        // Someone else scales the app through the API while the page is open.
        using var api = fixture.Client("deployer-a");
        (await api.PostAsJsonAsync($"/api/v1/apps/{app}/scale", new { replicas = new { web = 2 } })).EnsureSuccessStatusCode();

        await Expect(page.Locator("#events tr[data-live][data-reason=Scaled]")).ToContainTextAsync("scaled web=2");
        await Expect(page.Locator("#events tr[data-live][data-reason=ReplicaStarted]").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("events-status")).ToContainTextAsync("new (reload for the replicas as they are now)");
    }

    [Fact]
    public async Task Scale_Viewer_GetsNoFormAndAForgedPostIsRefused403()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);
        await page.GotoAsync($"/apps/{fixture.App}");
        await Expect(page.GetByTestId("events")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("scale-form")).ToHaveCountAsync(0);

        var forged = await ConsolePage.PostWithTokenAsync(page, $"/apps/{fixture.App}", ("replicas[web]", "3"));

        Assert.Equal(403, forged.Status);
        Assert.Contains("needs the deployer role", await forged.TextAsync(), StringComparison.Ordinal);
        using var api = fixture.Client("admin");
        using var detail = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/apps/{fixture.App}"));
        Assert.Equal(1, detail.RootElement.GetProperty("spec").GetProperty("services")[0].GetProperty("replicas").GetInt32());
    }

    /// <summary>An app of this test's own in team A with two releases: the second changes a plain variable and a secret one.</summary>
    private Task<string> DeployTwiceAsync(string prefix) => DeployAsync(prefix, ("hello", "first-" + Secret), ("bonjour", Secret));

    /// <summary>An app of this test's own in team A, one release per (greeting, token) given.</summary>
    private async Task<string> DeployAsync(string prefix, params (string Greeting, string Token)[] releases)
    {
        var app = TestProject.UniqueApp("con-" + prefix);
        foreach (var (greeting, token) in releases)
        {
            using var project = new TestProject($$"""
                services:
                  web:
                    image: gantry/busybox:1
                    command: ["sleep", "3600"]
                    init: true
                    environment:
                      GREETING: {{greeting}}
                      API_TOKEN: {{token}}
                """);
            var deploy = await new CliRunner(fixture.Server).RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app, "--team", fixture.TeamA);
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
        }
        return app;
    }

    private async Task<long> CurrentReleaseAsync(string app)
    {
        using var api = fixture.Client("admin");
        using var detail = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/apps/{app}"));
        return detail.RootElement.GetProperty("spec").GetProperty("release").GetInt64();
    }
}
