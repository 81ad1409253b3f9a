using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gantry.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gantry.IntegrationTests.Console;

/// <summary>
/// Issue 12's Registry page in real Chromium, on this class's server (its teams and users; no server of its own, to keep the
/// suite short): images pushed by real users through the distribution API, seen by their team with who pushed them, hidden
/// from another team (also by URL), not deletable by a viewer (no button, and the server refuses), deleted by an admin, a
/// retention rule applied by a garbage collection the admin starts. Each check asks the API or the CLI afterwards.
/// </summary>
public sealed partial class ConsoleSettingsTests
{
    [Fact]
    public async Task Registry_Viewer_SeesTheTeamsImagesWithTheirPusherButNotAnotherTeamsAndCannotDelete()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var mine = $"{fixture.TeamA}/web-{suffix}";
        var theirs = $"{fixture.TeamB}/hidden-{suffix}";
        await RegistryPush.ImageAsync(fixture.Server.Url, "deployer-a", IdentityFixture.Password, mine, "v1");
        await RegistryPush.ImageAsync(fixture.Server.Url, "deployer-a", IdentityFixture.Password, mine, "v2");
        await RegistryPush.ImageAsync(fixture.Server.Url, "deployer-b", IdentityFixture.Password, theirs, "v1");
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);

        await page.GetByTestId("registry-link").ClickAsync();
        var row = page.Locator($"tr[data-repository='{mine}']");
        await Expect(row.GetByTestId("pushed-by")).ToHaveTextAsync("deployer-a");
        await Expect(row.GetByTestId("tags")).ToHaveTextAsync("2");
        await Expect(page.Locator($"tr[data-repository='{theirs}']")).ToHaveCountAsync(0);
        await row.GetByRole(AriaRole.Link, new() { Name = mine }).ClickAsync();
        await Expect(page.Locator("tr[data-tag='v2']").GetByTestId("pushed-by")).ToHaveTextAsync("deployer-a");
        await Expect(page.Locator("tr[data-tag='v1']").GetByTestId("size")).ToHaveTextAsync(new Regex(@"^\d+ KiB$"));
        await Expect(page.GetByTestId("delete-tag")).ToHaveCountAsync(0);
        // A phone's width: the tags table becomes cards, nothing wider than the screen.
        await page.SetViewportSizeAsync(390, 800);
        await Expect(page.Locator("tr[data-tag='v2']").GetByTestId("pushed-by")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the repository page scrolls sideways at 390 px");

        // Another team's repository by URL: the same 404 as a name nobody uses; a delete by URL or forged post: refused.
        var hidden = await page.GotoAsync($"/registry/repositories/{theirs}");
        Assert.Equal(404, hidden!.Status);
        await Expect(page.GetByTestId("not-found")).ToContainTextAsync(theirs);
        var confirm = await page.GotoAsync($"/registry/images/{mine}:v1");
        Assert.Equal(403, confirm!.Status);
        await Expect(page.GetByTestId("confirm-delete")).ToHaveCountAsync(0);
        var forged = await ConsolePage.PostWithTokenAsync(page, $"/registry/images/{mine}:v1");
        Assert.Equal(403, forged.Status);
        using (var viewer = fixture.Client("viewer-a"))
        using (var other = fixture.Client("deployer-b"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/v1/registry/images/{mine}:v1")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/registry/images/{mine}:v1")).StatusCode);
            Assert.DoesNotContain(mine, await other.GetStringAsync("/api/v1/registry/repositories"), StringComparison.Ordinal);
        }
        Assert.Equal(["v2", "v1"], await TagsAsync(mine));
    }

    [Fact]
    public async Task Registry_Admin_DeletesATagSetsARuleAndTheCollectionItStartsAppliesIt()
    {
        var repository = $"{fixture.TeamA}/app-{Guid.NewGuid().ToString("N")[..6]}";
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in new[] { "v1", "v2", "v3" })
        {
            digests[tag] = await RegistryPush.ImageAsync(fixture.Server.Url, "deployer-a", IdentityFixture.Password, repository, tag);
        }
        var page = await AdminPageAsync();
        await page.GotoAsync($"/registry/repositories/{repository}");
        await Expect(page.Locator("tr[data-tag]")).ToHaveCountAsync(3);
        await ConsolePage.ScreenshotAsync(page, "registry-repository.png");

        await page.Locator("tr[data-tag='v1']").GetByTestId("delete-tag").ClickAsync();
        await Expect(page.GetByTestId("what-happens")).ToContainTextAsync($"The tag v1 is removed from {repository}.");
        await page.GetByTestId("confirm-delete").ClickAsync();
        await Expect(page.GetByTestId("done")).ToHaveTextAsync("deleted tag v1.");
        await Expect(page.Locator("tr[data-tag]")).ToHaveCountAsync(2);
        var cli = await new CliRunner(fixture.Server).RunAsync(Path.GetTempPath(), "registry", "tags", repository);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        // v1's manifest stays, untagged (pullable by digest): listed as docker lists a dangling image, and deletable by digest.
        Assert.Equal(["v3", "v2", "<none>"], cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(' ')[0]));
        Assert.Contains("deployer-a", cli.Output, StringComparison.Ordinal);
        await page.Locator($"tr[data-manifest='{digests["v1"]}']").GetByTestId("delete-manifest").ClickAsync();
        await Expect(page.GetByTestId("what-happens")).ToContainTextAsync("(no tag names it)");
        await page.GetByTestId("confirm-delete").ClickAsync();
        await Expect(page.GetByTestId("done")).ToHaveTextAsync($"deleted manifest {digests["v1"][..19]}.");
        await Expect(page.GetByTestId("untagged")).ToHaveCountAsync(0);

        // Bad input is refused naming the value; a good rule is kept.
        await page.GotoAsync("/registry");
        await page.FillAsync("#rule-repository", repository);
        await page.FillAsync("#rule-keep-last", "ten");
        var refused = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("set-rule-button").ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("keep-last 'ten' is not a whole number");
        await page.FillAsync("#rule-repository", "Not Valid");
        await page.FillAsync("#rule-keep-last", "1");
        refused = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("set-rule-button").ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(422, refused.Status);
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("repository pattern 'Not Valid' is not valid");
        await page.FillAsync("#rule-repository", repository);
        await page.FillAsync("#rule-keep-last", "1");
        await page.GetByTestId("set-rule-button").ClickAsync();
        await Expect(page.GetByTestId("done")).ToContainTextAsync($"retention for {repository}: keep the newest tag");

        await page.GetByTestId("run-gc").ClickAsync();
        await Expect(page.GetByTestId("done")).ToContainTextAsync("garbage collection run");
        await Expect(page.Locator("[data-testid=runs] tbody tr").First.GetByTestId("started-by")).ToHaveTextAsync("admin");
        await Expect(page.Locator("[data-testid=runs] tbody tr").First.GetByTestId("outcome")).ToContainTextAsync("removed by retention");
        await ConsolePage.ScreenshotAsync(page, "registry.png");
        // The rule left the newest tag only, whichever run applied it.
        Assert.Equal(["v3"], await TagsAsync(repository));

        await page.Locator($"tr[data-rule='{repository}']").GetByTestId("remove-rule").ClickAsync();
        await Expect(page.GetByTestId("done")).ToHaveTextAsync($"removed the retention rule for {repository}.");
        using var admin = fixture.Client("admin");
        Assert.DoesNotContain(repository, await admin.GetStringAsync("/api/v1/registry/retention"), StringComparison.Ordinal);
        // The console's delete is audited with the image it named.
        Assert.Contains($"\"target\":\"image {repository}:v1\"", await admin.GetStringAsync("/api/v1/audit?action=/registry/images/"), StringComparison.Ordinal);
    }

    /// <summary>The repository's tags, newest push first, from the API as an admin.</summary>
    private async Task<List<string>> TagsAsync(string repository)
    {
        using var admin = fixture.Client("admin");
        using var detail = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/registry/repositories/{repository}"));
        return [.. detail.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("tag").GetString()!)];
    }
}
