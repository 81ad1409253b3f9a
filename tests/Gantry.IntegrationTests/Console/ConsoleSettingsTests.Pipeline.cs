using System.Net.Http.Json;
using Gantry.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Gantry.IntegrationTests.Console;

/// <summary>
/// Issue 13's pipeline in the console (docs/decisions/0032): an environment's Releases page shows the app's pushed commits
/// and how far each went, and the commit a gate holds for approval; a member of another team sees the page as missing.
/// </summary>
public sealed partial class ConsoleSettingsTests
{
    [Fact]
    public async Task Pipeline_OnAnEnvironmentsReleasesPage_ShowsEachCommitAndTheGateHoldingIt()
    {
        var app = TestProject.UniqueApp("pipe");
        var staging = app + "-staging";
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", """
            services:
              web:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                stop_grace_period: 1s
                deploy:
                  resources:
                    limits: { memory: 16M }
            """));
        var commit = (await tree.RunAsync("rev-parse", "HEAD")).Output.Trim();
        var remote = $"http://deployer-a:{IdentityFixture.Password}@127.0.0.1:{fixture.Server.Port}/git/{app}.git";
        var push = await tree.RunAsync("push", "-o", $"team={fixture.TeamA}", "-o", "env=staging", remote, "main");
        Assert.True(push.ExitCode == 0, push.ToString());
        using (var deployer = fixture.Client("deployer-a"))
        {
            (await deployer.PutAsJsonAsync($"/api/v1/apps/{app}/environments/staging/gate", new { to = "production", mode = "approval" })).EnsureSuccessStatusCode();
        }

        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);
        await page.GotoAsync($"/apps/{staging}/releases");

        var row = page.Locator($"[data-testid=pipeline] tr[data-commit='{commit}']");
        await Expect(page.Locator("[data-testid=pipeline] th")).ToHaveTextAsync(["Commit", "Build", "staging", "production"]);
        await Expect(row.Locator("[data-label=Commit]")).ToHaveTextAsync($"{commit[..12]} main");
        await Expect(row.Locator("[data-label=staging]")).ToHaveTextAsync("r1 live");
        await Expect(row.GetByTestId("next")).ToHaveTextAsync("awaiting approval");

        var other = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(other, "deployer-b", IdentityFixture.Password);
        Assert.Equal(404, (await other.GotoAsync($"/apps/{staging}/releases"))!.Status);
    }
}
