using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Gantry.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gantry.IntegrationTests.Console;

/// <summary>
/// Issue 12's "pages update live without reloads", in real Chromium on this class's server: with a page open, a change made
/// elsewhere (an image pushed through the distribution API, a tag deleted through the API, an app deployed with the CLI, a
/// token created through the API) appears on it, and the page never navigated (a value set on its window survives). Another
/// team's repository and, below admin, the audit log cannot be followed (404, as their pages). Also the collection's preview.
/// </summary>
public sealed partial class ConsoleSettingsTests
{
    private const string Unreloaded = "window.__gantryNotReloaded";

    [Fact]
    public async Task Live_RegistryPagesOpen_APushAndADeleteAppearWithoutAReload()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var mine = $"{fixture.TeamA}/live-{suffix}";
        var theirs = $"{fixture.TeamB}/live-{suffix}";
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);
        await page.GotoAsync("/registry");
        await ConsolePage.ExpectFollowingLiveAsync(page);
        await page.EvaluateAsync(Unreloaded + " = true");

        await RegistryPush.ImageAsync(fixture.Server.Url, "deployer-b", IdentityFixture.Password, theirs, "v1");
        await RegistryPush.ImageAsync(fixture.Server.Url, "deployer-a", IdentityFixture.Password, mine, "v1");
        await Expect(page.Locator($"tr[data-repository='{mine}']").GetByTestId("pushed-by")).ToHaveTextAsync("deployer-a");
        await Expect(page.Locator($"tr[data-repository='{theirs}']")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>(Unreloaded + " === true"), "the Registry page reloaded");

        await page.Locator($"tr[data-repository='{mine}']").GetByRole(AriaRole.Link, new() { Name = mine }).ClickAsync();
        await Expect(page.Locator("tr[data-tag='v1']")).ToHaveCountAsync(1);
        await ConsolePage.ExpectFollowingLiveAsync(page);
        await page.EvaluateAsync(Unreloaded + " = true");
        await RegistryPush.ImageAsync(fixture.Server.Url, "deployer-a", IdentityFixture.Password, mine, "v2");
        await Expect(page.Locator("tr[data-tag='v2']").GetByTestId("pushed-by")).ToHaveTextAsync("deployer-a");
        using (var admin = fixture.Client("admin"))
        {
            (await admin.DeleteAsync($"/api/v1/registry/images/{mine}:v1")).EnsureSuccessStatusCode();
        }
        await Expect(page.Locator("tr[data-tag='v1']")).ToHaveCountAsync(0);
        await Expect(page.Locator("tr[data-tag]")).ToHaveCountAsync(1);
        Assert.True(await page.EvaluateAsync<bool>(Unreloaded + " === true"), "the repository page reloaded");

        // Another team's repository cannot be followed, as its page cannot be seen: the same 404 as a name nobody uses.
        Assert.Equal(404, (await page.APIRequest.GetAsync($"/live/repository?repository={Uri.EscapeDataString(theirs)}")).Status);
        Assert.Equal(404, (await page.APIRequest.GetAsync("/live/audit")).Status);
    }

    [Fact]
    public async Task Live_AppsPageOpen_ADeployFromTheCliAppearsWithoutAReload()
    {
        var app = TestProject.UniqueApp("live");
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);
        await Expect(page.Locator($"tr[data-app='{fixture.App}']")).ToHaveCountAsync(1);
        await ConsolePage.ExpectFollowingLiveAsync(page);
        await page.EvaluateAsync(Unreloaded + " = true");

        using var project = new TestProject("""
            services:
              web:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                init: true
            """);
        var cli = new CliRunner(fixture.Server);
        try
        {
            var deploy = await cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app, "--team", fixture.TeamA);
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            var row = page.Locator($"tr[data-app='{app}']");
            await Expect(row.Locator("[data-label=Phase]")).ToHaveTextAsync("Running");
            await Expect(row.Locator("[data-label=Replicas]")).ToHaveTextAsync("1/1");
            Assert.True(await page.EvaluateAsync<bool>(Unreloaded + " === true"), "the Apps page reloaded");
        }
        finally
        {
            await cli.RunAsync(project.Directory, "rm", app);
        }
        await Expect(page.Locator($"tr[data-app='{app}']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Live_AppAndReleasesPagesOpen_AScaleAndADeployAppearWithoutAReload()
    {
        var app = TestProject.UniqueApp("live-app");
        using var project = new TestProject("""
            services:
              web:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                init: true
                environment:
                  STEP: "1"
            """);
        var cli = new CliRunner(fixture.Server);
        try
        {
            var deploy = await cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app, "--team", fixture.TeamA);
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            var page = await chromium.NewPageAsync(fixture.Server.Url);
            await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);
            await page.GotoAsync($"/apps/{app}");
            await ConsolePage.ExpectFollowingLiveAsync(page);
            await Expect(page.Locator("[data-testid=replicas-web] tbody tr")).ToHaveCountAsync(1);
            await page.EvaluateAsync(Unreloaded + " = true");

            var scale = await cli.RunAsync(project.Directory, "scale", app, "web=2");
            Assert.True(scale.ExitCode == 0, scale.ToString());
            await Expect(page.Locator("[data-testid=replicas-web] tbody tr")).ToHaveCountAsync(2);
            await Expect(page.Locator("[data-testid=replicas-web] [data-label=State]")).ToHaveTextAsync(["running", "running"]);
            Assert.True(await page.EvaluateAsync<bool>(Unreloaded + " === true"), "the app page reloaded");

            await page.GotoAsync($"/apps/{app}/releases");
            await ConsolePage.ExpectFollowingLiveAsync(page);
            await Expect(page.Locator("tr[data-release]")).ToHaveCountAsync(1);
            await page.EvaluateAsync(Unreloaded + " = true");
            File.WriteAllText(Path.Combine(project.Directory, "compose.yaml"), File.ReadAllText(Path.Combine(project.Directory, "compose.yaml")).Replace("STEP: \"1\"", "STEP: \"2\"", StringComparison.Ordinal));
            var second = await cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
            Assert.True(second.ExitCode == 0, second.ToString());
            await Expect(page.Locator("tr[data-release='2']")).ToHaveCountAsync(1);
            await Expect(page.Locator("tr[data-release='2'] [data-testid=summary]")).ToContainTextAsync("environment");
            Assert.True(await page.EvaluateAsync<bool>(Unreloaded + " === true"), "the Releases page reloaded");

            // Another team's user cannot follow the app: the same 404 as an app nobody has.
            var other = await chromium.NewPageAsync(fixture.Server.Url);
            await ConsolePage.SignInAsync(other, "deployer-b", IdentityFixture.Password);
            foreach (var topic in new[] { "app", "releases", "requests", "metrics" })
            {
                Assert.Equal(404, (await other.APIRequest.GetAsync($"/live/{topic}?app={app}")).Status);
            }
            Assert.Equal(404, (await other.APIRequest.GetAsync("/live/app?app=no-such-app")).Status);
        }
        finally
        {
            await cli.RunAsync(project.Directory, "rm", app);
        }
    }

    [Fact]
    public async Task Live_AuditPageOpen_AnApiChangeAppearsWithoutAReload()
    {
        var description = "live-" + Guid.NewGuid().ToString("N")[..6];
        var page = await AdminPageAsync();
        await page.GotoAsync("/settings/audit?actor=deployer-a");
        await ConsolePage.ExpectFollowingLiveAsync(page);
        await page.EvaluateAsync(Unreloaded + " = true");
        var before = await page.Locator("[data-testid=audit] tbody tr").CountAsync();

        using (var deployer = fixture.Client("deployer-a"))
        {
            (await deployer.PostAsJsonAsync("/api/v1/tokens", new { description })).EnsureSuccessStatusCode();
        }

        var newest = page.Locator("[data-testid=audit] tbody tr").First;
        await Expect(newest.GetByTestId("action")).ToHaveTextAsync("POST /api/v1/tokens");
        await Expect(newest.GetByTestId("actor")).ToHaveTextAsync("deployer-a");
        Assert.True(await page.Locator("[data-testid=audit] tbody tr").CountAsync() > before || before == 50);
        Assert.True(await page.EvaluateAsync<bool>(Unreloaded + " === true"), "the audit page reloaded");

        // The admin's token list follows the same feed.
        await page.GotoAsync("/settings/tokens");
        await ConsolePage.ExpectFollowingLiveAsync(page);
        using (var deployer = fixture.Client("deployer-a"))
        {
            (await deployer.PostAsJsonAsync("/api/v1/tokens", new { description = description + "-2" })).EnsureSuccessStatusCode();
        }
        await Expect(page.GetByTestId("tokens")).ToContainTextAsync(description + "-2");
    }

    [Fact]
    public async Task RegistryGc_AdminPreview_ListsWhatARunWouldDeleteInTheConsoleAndCliAndDeletesNothing()
    {
        var repository = $"{fixture.TeamA}/preview-{Guid.NewGuid().ToString("N")[..6]}";
        foreach (var tag in new[] { "v1", "v2" })
        {
            await RegistryPush.ImageAsync(fixture.Server.Url, "deployer-a", IdentityFixture.Password, repository, tag);
        }
        using var admin = fixture.Client("admin");
        (await admin.PutAsJsonAsync("/api/v1/registry/retention", new { repository, keepLast = 1 })).EnsureSuccessStatusCode();
        try
        {
            var page = await AdminPageAsync();
            await page.GotoAsync("/registry");
            await page.GetByTestId("preview-gc").ClickAsync();
            var preview = page.GetByTestId("gc-preview");
            await Expect(preview.Locator($"li[data-tag='{repository}:v1']")).ToHaveCountAsync(1);
            await Expect(preview.Locator($"li[data-tag='{repository}:v2']")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("gc-preview-summary")).ToContainTextAsync("Nothing was deleted.");
            await ConsolePage.ScreenshotAsync(page, "registry-gc-preview.png");

            var cli = await new CliRunner(fixture.Server).RunAsync(Path.GetTempPath(), "registry", "gc", "run", "--dry-run");
            Assert.True(cli.ExitCode == 0, cli.ToString());
            Assert.Contains($"would delete tag {repository}:v1", cli.Output, StringComparison.Ordinal);
            Assert.DoesNotContain($"{repository}:v2", cli.Output, StringComparison.Ordinal);
            Assert.Matches(new Regex(@"dry run: \d+ tag\(s\) and \d+ manifest\(s\) by retention, \d+ blob\(s\) \(.+\) to free, \d+ idle upload\(s\) to expire; nothing was deleted"), cli.Output);
            Assert.Equal(["v2", "v1"], await TagsAsync(repository));

            // A viewer is shown no preview, and the server refuses one by URL.
            var viewer = await chromium.NewPageAsync(fixture.Server.Url);
            await ConsolePage.SignInAsync(viewer, "viewer-a", IdentityFixture.Password);
            await viewer.GotoAsync("/registry");
            await Expect(viewer.GetByTestId("preview-gc")).ToHaveCountAsync(0);
            var refused = await viewer.GotoAsync("/registry?handler=preview");
            Assert.Equal(403, refused!.Status);
            await Expect(viewer.GetByTestId("gc-preview")).ToHaveCountAsync(0);
        }
        finally
        {
            await admin.DeleteAsync($"/api/v1/registry/retention/{repository}");
        }
    }
}
