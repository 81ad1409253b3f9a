using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gantry.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gantry.IntegrationTests.Console;

/// <summary>
/// Issue 12's Settings in real Chromium against a real server: an admin manages users (a generated password shown once,
/// roles, disable, enable, remove) and teams, every user their own tokens (scoped, shown once, revoked), an admin reads
/// and filters the audit log. Non-admins see no Settings link, and their forged posts are refused by the server (403).
/// Each check asks the API afterwards: the console has no second path.
/// </summary>
public sealed partial class ConsoleSettingsTests(IdentityFixture fixture, ChromiumFixture chromium) : IClassFixture<IdentityFixture>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Users_Admin_CreatesAUserWhosePasswordIsShownOnceThenSetsRoleDisablesEnablesAndRemoves()
    {
        var name = "set-" + Guid.NewGuid().ToString("N")[..6];
        var page = await AdminPageAsync();

        await page.GetByTestId("settings-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/settings/users$"));
        await page.FillAsync("#new-name", name);
        await page.SelectOptionAsync("#new-team", fixture.TeamA);
        await page.SelectOptionAsync("#new-role", "viewer");
        await page.GetByTestId("create-user-button").ClickAsync();

        var password = await page.GetByTestId("new-password").InnerTextAsync();
        Assert.Matches("^[A-Za-z0-9]{20}$", password);
        var row = page.Locator($"tr[data-user='{name}']");
        await Expect(row.GetByTestId("teams")).ToHaveTextAsync($"{fixture.TeamA}: viewer");
        await ConsolePage.ScreenshotAsync(page, "settings-users.png");
        // Shown once: a reload (a GET) does not carry it, and the API never has it.
        await page.GotoAsync("/settings/users");
        Assert.DoesNotContain(password, await page.ContentAsync(), StringComparison.Ordinal);
        var token = await fixture.LoginAsync(name, password);

        // Deployer in team B as well, through the row's form; the API agrees.
        await row.Locator("select[name=team]").SelectOptionAsync(fixture.TeamB);
        await row.Locator("select[name=role]").SelectOptionAsync("deployer");
        await row.GetByTestId("set-role").ClickAsync();
        await Expect(page.GetByTestId("done")).ToContainTextAsync($"{name} is now deployer in {fixture.TeamB}");
        Assert.Contains(new { team = fixture.TeamB, role = "deployer" }.ToString(), await MembershipsAsync(name), StringComparer.Ordinal);

        // Disabled: the password and the token stop working at once; enabled again, they work.
        await row.GetByTestId("disable").ClickAsync();
        await Expect(row.GetByTestId("status")).ToHaveTextAsync("disabled");
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(token));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(name, password));
        await row.GetByTestId("enable").ClickAsync();
        await Expect(row.GetByTestId("status")).ToHaveTextAsync("active");
        Assert.Equal(HttpStatusCode.OK, await WhoAmIStatusAsync(token));

        await row.GetByTestId("remove").ClickAsync();
        await row.GetByTestId("confirm-remove").ClickAsync();
        await Expect(page.GetByTestId("done")).ToContainTextAsync($"removed {name}");
        await Expect(page.Locator($"tr[data-user='{name}']")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(token));
        // The audit log names each change's user.
        using var admin = fixture.Client("admin");
        var audit = await admin.GetStringAsync($"/api/v1/audit?action=/settings/users/{name}");
        Assert.Contains($"\"target\":\"user {name}\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_LastAdminDisabled_RefusedWithTheApisWords()
    {
        var page = await AdminPageAsync();
        await page.GotoAsync("/settings/users");

        var answer = await page.RunAndWaitForResponseAsync(
            () => page.Locator("tr[data-user='admin']").GetByTestId("disable").ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal(409, answer.Status);
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("'admin' is the last enabled admin");
        await Expect(page.Locator("tr[data-user='admin']").GetByTestId("status")).ToHaveTextAsync("active");
    }

    [Fact]
    public async Task Teams_Admin_CreatesATeamAndAddsAMember()
    {
        var team = "tt-" + Guid.NewGuid().ToString("N")[..6];
        var page = await AdminPageAsync();
        await page.GotoAsync("/settings/teams");

        await page.FillAsync("#team-name", team);
        await page.GetByTestId("create-team-button").ClickAsync();
        await Expect(page.GetByTestId("done")).ToHaveTextAsync($"created team {team}.");
        var row = page.Locator($"tr[data-team='{team}']");
        await row.Locator("select[name=user]").SelectOptionAsync("viewer-a");
        await row.Locator("select[name=role]").SelectOptionAsync("deployer");
        await row.GetByTestId("set-member").ClickAsync();

        await Expect(row.GetByTestId("members")).ToHaveTextAsync("viewer-a: deployer");
        await ConsolePage.ScreenshotAsync(page, "settings-teams.png");
        Assert.Contains(new { team, role = "deployer" }.ToString(), await MembershipsAsync("viewer-a"), StringComparer.Ordinal);
        // An invalid name is refused with the API's located error, nothing created.
        await page.FillAsync("#team-name", "Not_Valid");
        var refused = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("create-team-button").ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(422, refused.Status);
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("'Not_Valid' is not a valid team name");
    }

    [Fact]
    public async Task Settings_NonAdmin_SeesNoSettingsLinkGets403AndForgedPostsAreRefused()
    {
        var victim = "nv-" + Guid.NewGuid().ToString("N")[..6];
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "deployer-a", IdentityFixture.Password);

        await Expect(page.GetByTestId("settings-link")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("tokens-link")).ToBeVisibleAsync();
        foreach (var path in new[] { "/settings/users", "/settings/teams", "/settings/audit" })
        {
            var answer = await page.GotoAsync(path);
            Assert.Equal(403, answer!.Status);
            await Expect(page.GetByTestId("problem")).ToContainTextAsync("only an admin may do this");
        }
        await Expect(page.Locator("nav.tabs a")).ToHaveTextAsync(["Tokens"]);
        var forgedUser = await ConsolePage.PostWithTokenAsync(page, "/settings/users?handler=create", ("name", victim), ("team", fixture.TeamA), ("role", "admin"));
        var forgedRole = await ConsolePage.PostWithTokenAsync(page, "/settings/users/deployer-a?handler=role", ("team", fixture.TeamB), ("role", "admin"));
        var forgedTeam = await ConsolePage.PostWithTokenAsync(page, "/settings/teams?handler=create", ("name", victim));
        var noToken = await page.APIRequest.PostAsync("/settings/teams?handler=create", new APIRequestContextOptions { Form = Form(page, ("name", victim)), MaxRedirects = 0 });

        Assert.Equal((403, 403, 403, 400), (forgedUser.Status, forgedRole.Status, forgedTeam.Status, noToken.Status));
        using var admin = fixture.Client("admin");
        Assert.DoesNotContain(victim, await admin.GetStringAsync("/api/v1/users"), StringComparison.Ordinal);
        Assert.DoesNotContain(victim, await admin.GetStringAsync("/api/v1/teams"), StringComparison.Ordinal);
        Assert.DoesNotContain("admin", string.Join(",", await MembershipsAsync("deployer-a")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_Deployer_CreatesAScopedTokenShownOnceUsesItAndRevokesIt()
    {
        var description = "ci-" + Guid.NewGuid().ToString("N")[..6];
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "deployer-a", IdentityFixture.Password);
        await page.GetByTestId("tokens-link").ClickAsync();

        // Higher than the user's own role: the service's refusal, word for word.
        await page.SelectOptionAsync("#token-role", "admin");
        var refused = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("create-token-button").ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(409, refused.Status);
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("a token's role cannot be higher than yours");
        // "never" is for admins only: not offered.
        await Expect(page.Locator("#token-expires option[value='0']")).ToHaveCountAsync(0);

        await page.FillAsync("#token-description", description);
        await page.SelectOptionAsync("#token-team", fixture.TeamA);
        await page.SelectOptionAsync("#token-role", "viewer");
        await page.SelectOptionAsync("#token-expires", "86400");
        await page.GetByTestId("create-token-button").ClickAsync();

        var secret = await page.GetByTestId("token-secret").InnerTextAsync();
        Assert.StartsWith("gtk_", secret, StringComparison.Ordinal);
        await Expect(page.GetByTestId("created-token")).ToContainTextAsync($"{fixture.TeamA}, viewer");
        await ConsolePage.ScreenshotAsync(page, "settings-tokens.png");
        using (var http = Bearer(secret))
        {
            using var me = JsonDocument.Parse(await http.GetStringAsync("/api/v1/whoami"));
            Assert.False(me.RootElement.GetProperty("admin").GetBoolean());
            Assert.Equal("Viewer", me.RootElement.GetProperty("teams")[0].GetProperty("role").GetString());
        }
        await page.GotoAsync("/settings/tokens");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        // An admin sees the token's metadata, never its secret.
        var adminPage = await AdminPageAsync();
        await adminPage.GotoAsync("/settings/tokens");
        var adminRow = adminPage.Locator("tr", new() { HasText = description });
        await Expect(adminRow.Locator("td[data-label=User]")).ToHaveTextAsync("deployer-a");
        Assert.DoesNotContain(secret[..20], await adminPage.ContentAsync(), StringComparison.Ordinal);

        await page.Locator("tr", new() { HasText = description }).GetByTestId("revoke").ClickAsync();
        await Expect(page.GetByTestId("done")).ToContainTextAsync("revoked token");
        Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIStatusAsync(secret));
    }

    [Fact]
    public async Task Audit_Admin_FiltersByUserActionAndAppAndPagesBack()
    {
        var marker = "au-" + Guid.NewGuid().ToString("N")[..6];
        using (var deployer = fixture.Client("deployer-a"))
        {
            (await deployer.PostAsJsonAsync($"/api/v1/apps/{fixture.App}/scale", new { replicas = new { web = 1 } })).EnsureSuccessStatusCode();
        }
        using (var admin = fixture.Client("admin"))
        {
            // 55 refused team creations by the admin: more than one page of entries for one filter.
            for (var i = 0; i < 55; i++)
            {
                await admin.PostAsJsonAsync("/api/v1/teams", new { name = $"{marker}-{i}-NOT-VALID" });
            }
        }
        var page = await AdminPageAsync();
        await page.GotoAsync("/settings/audit");

        await page.FillAsync("[data-testid=filter-actor]", "deployer-a");
        await page.FillAsync("[data-testid=filter-app]", fixture.App);
        await page.GetByTestId("filter-button").ClickAsync();
        await Expect(page.Locator("[data-testid=audit] tbody tr").First.GetByTestId("action")).ToHaveTextAsync($"POST /api/v1/apps/{fixture.App}/scale");
        await Expect(page.Locator("[data-testid=audit] tbody tr").GetByTestId("actor")).ToHaveTextAsync(Enumerable.Repeat("deployer-a", await page.Locator("[data-testid=audit] tbody tr").CountAsync()).ToArray());
        await ConsolePage.ScreenshotAsync(page, "settings-audit.png");

        await page.GotoAsync("/settings/audit?actor=admin&action=" + Uri.EscapeDataString("POST /api/v1/teams"));
        await Expect(page.Locator("[data-testid=audit] tbody tr")).ToHaveCountAsync(50);
        var newestFirst = await page.Locator("[data-testid=audit] tbody tr").First.GetAttributeAsync("data-entry");
        await page.GetByTestId("older").ClickAsync();
        var olderRows = page.Locator("[data-testid=audit] tbody tr");
        Assert.True(await olderRows.CountAsync() >= 5);
        var olderFirst = long.Parse((await olderRows.First.GetAttributeAsync("data-entry"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(olderFirst < long.Parse(newestFirst!, System.Globalization.CultureInfo.InvariantCulture));
        await Expect(olderRows.First.GetByTestId("outcome")).ToHaveTextAsync(new Regex("^422 "));
        // The same filters through the API (`gantry audit --action ... --before ...`).
        using var api = fixture.Client("admin");
        using var entries = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/audit?actor=admin&action={Uri.EscapeDataString("POST /api/v1/teams")}&before={olderFirst + 1}&limit=1"));
        Assert.Equal(olderFirst, entries.RootElement[0].GetProperty("id").GetInt64());
    }

    private async Task<IPage> AdminPageAsync()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "admin", fixture.Server.Token);
        return page;
    }

    /// <summary>The user's memberships as "{ team = T, role = R }" strings, from the API.</summary>
    private async Task<List<string>> MembershipsAsync(string user)
    {
        using var admin = fixture.Client("admin");
        using var users = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/users"));
        return users.RootElement.EnumerateArray().Where(u => u.GetProperty("name").GetString() == user)
            .SelectMany(u => u.GetProperty("teams").EnumerateArray())
            .Select(t => new { team = t.GetProperty("team").GetString(), role = t.GetProperty("role").GetString()!.ToLowerInvariant() }.ToString()!)
            .ToList();
    }

    private HttpClient Bearer(string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(fixture.Server.Url) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task<HttpStatusCode> WhoAmIStatusAsync(string token)
    {
        using var http = Bearer(token);
        return (await http.GetAsync("/api/v1/whoami")).StatusCode;
    }

    private async Task<HttpStatusCode> LoginStatusAsync(string user, string password)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.Url) };
        return (await http.PostAsJsonAsync("/api/v1/login", new { username = user, password })).StatusCode;
    }

    private static IFormData Form(IPage page, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }
        return form;
    }
}
