using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gantry.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gantry.IntegrationTests.Console;

/// <summary>
/// Issue 12, the console's first slice in real Chromium against a real server: sign-in, the Apps page and an app's
/// page for a team member, blindness to another team's app, anti-forgery, sign-out, and a session that ends the moment
/// its token is revoked or its user removed. (The lock-out after ten failures is in <see cref="ConsoleLockoutTests"/>,
/// on its own server, because it locks out the test's whole address.)
/// </summary>
public sealed partial class ConsoleTests(IdentityFixture fixture, ChromiumFixture chromium) : IClassFixture<IdentityFixture>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task SignIn_MemberOfTheAppsTeam_SeesTheAppAndItsReplicas()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);

        var first = await page.GotoAsync("/");

        // Not signed in: sent to the sign-in page, with the way back.
        Assert.Equal(200, first!.Status);
        Assert.EndsWith("/login?returnUrl=%2F", page.Url, StringComparison.Ordinal);
        await ConsolePage.ScreenshotAsync(page, "login.png");
        // By keyboard alone: the user name has focus, Tab goes to the password, Enter submits.
        await page.Keyboard.TypeAsync("viewer-a");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(IdentityFixture.Password);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("user")).ToHaveTextAsync("viewer-a");

        var row = page.Locator($"tr[data-app='{fixture.App}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator("td[data-label=Team]")).ToHaveTextAsync(fixture.TeamA);
        await Expect(row.Locator("td[data-label=Release]")).ToHaveTextAsync("1");
        await Expect(row.Locator("td[data-label=Replicas]")).ToHaveTextAsync(ReplicasPattern());
        // A viewer gets no buttons that change anything: signing out is the only one.
        await Expect(page.Locator("button")).ToHaveCountAsync(1);
        await Expect(page.Locator("button")).ToHaveTextAsync("Sign out");
        await ConsolePage.ScreenshotAsync(page, "apps.png");
        await page.SetViewportSizeAsync(390, 760);
        await ConsolePage.ScreenshotAsync(page, "apps-phone.png");

        await row.GetByRole(AriaRole.Link, new() { Name = fixture.App }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/apps/{fixture.App}$"));
        await Expect(page.GetByTestId("replicas-web").Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("button")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task AppsPage_UserOfAnotherTeam_DoesNotListTheAppAndGets404ByUrl()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "deployer-b", IdentityFixture.Password);

        await Expect(page.GetByTestId("no-apps").Or(page.GetByTestId("apps"))).ToBeVisibleAsync();
        await Expect(page.Locator($"tr[data-app='{fixture.App}']")).ToHaveCountAsync(0);
        var direct = await page.GotoAsync($"/apps/{fixture.App}");
        var directText = await page.Locator("main").InnerTextAsync();
        var missing = await page.GotoAsync("/apps/no-such-app");
        var missingText = await page.Locator("main").InnerTextAsync();

        // Another team's app and an app that does not exist are the same answer, name aside.
        Assert.Equal(404, direct!.Status);
        Assert.Equal(404, missing!.Status);
        Assert.Equal(missingText, directText.Replace(fixture.App, "no-such-app", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsTheErrorAndStaysSignedOut()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);

        var answer = await ConsolePage.SubmitSignInAsync(page, "viewer-a", "not-the-password");

        Assert.Equal(401, answer.Status);
        await Expect(page.GetByTestId("error")).ToHaveTextAsync("The user name or password is wrong.");
        Assert.Equal(200, (await page.GotoAsync("/"))!.Status);
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?returnUrl=%2F$"));
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_Refused()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await page.GotoAsync("/login");

        var login = await page.APIRequest.PostAsync("/login", new APIRequestContextOptions
        {
            Form = Form(page.APIRequest, ("username", "viewer-a"), ("password", IdentityFixture.Password)),
            MaxRedirects = 0,
        });
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);
        var logout = await page.APIRequest.PostAsync("/logout", new APIRequestContextOptions { MaxRedirects = 0 });

        Assert.Equal(400, login.Status);
        Assert.Equal(400, logout.Status);
        // The refused sign-out changed nothing: the session goes on.
        await page.ReloadAsync();
        await Expect(page.GetByTestId("user")).ToHaveTextAsync("viewer-a");
    }

    [Fact]
    public async Task Api_WithOnlyTheConsoleSessionCookie_Refused401()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);

        var apps = await page.APIRequest.GetAsync("/api/v1/apps");
        var scale = await page.APIRequest.PostAsync($"/api/v1/apps/{fixture.App}/scale", new APIRequestContextOptions { DataObject = new { replicas = new { web = 2 } } });

        Assert.Equal(401, apps.Status);
        Assert.Equal(401, scale.Status);
    }

    [Fact]
    public async Task Stylesheet_ByItsVersionedUrl_CachedAsImmutable()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await page.GotoAsync("/login");
        var href = await page.Locator("link[rel=stylesheet]").GetAttributeAsync("href");

        var css = await page.APIRequest.GetAsync(href!);
        var unversioned = await page.APIRequest.GetAsync("/assets/console.css");

        Assert.Matches("^/assets/console\\.css\\?v=[0-9a-f]{16}$", href);
        Assert.Equal(200, css.Status);
        Assert.StartsWith("text/css", css.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal("public, max-age=31536000, immutable", css.Headers["cache-control"]);
        Assert.Equal("no-cache", unversioned.Headers["cache-control"]);
    }

    [Fact]
    public async Task SignOut_EndsTheSession_BackAndReloadGoToSignIn()
    {
        var user = await CreateUserAsync();
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, user, IdentityFixture.Password);
        await page.GotoAsync($"/apps/{fixture.App}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?returnUrl="));
        await page.ReloadAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?returnUrl="));
        // The session's token is revoked on the server too, and both ends are in the audit log.
        Assert.Empty(await ConsoleTokensAsync(user));
        using var admin = fixture.Client("admin");
        var audit = await admin.GetStringAsync("/api/v1/audit");
        Assert.Contains($"\"actor\":\"{user}\",\"address\":\"127.0.0.1\",\"action\":\"POST /login\"", audit, StringComparison.Ordinal);
        Assert.Contains($"\"actor\":\"{user}\",\"address\":\"127.0.0.1\",\"action\":\"POST /logout\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_TokenRevokedThroughTheApi_EndsAtTheNextRequest()
    {
        var user = await CreateUserAsync();
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, user, IdentityFixture.Password);
        var token = Assert.Single(await ConsoleTokensAsync(user));
        using var admin = fixture.Client("admin");

        (await admin.DeleteAsync($"/api/v1/tokens/{token}")).EnsureSuccessStatusCode();
        await page.ReloadAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/login\\?returnUrl=%2F$"));
    }

    [Fact]
    public async Task Session_UserRemoved_EndsAtTheNextRequest()
    {
        var user = await CreateUserAsync();
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await ConsolePage.SignInAsync(page, user, IdentityFixture.Password);
        using var admin = fixture.Client("admin");

        (await admin.DeleteAsync($"/api/v1/users/{user}")).EnsureSuccessStatusCode();
        await page.GotoAsync($"/apps/{fixture.App}");

        await Expect(page).ToHaveURLAsync(new Regex("/login\\?returnUrl="));
    }

    [Fact]
    public async Task SignIn_ReturnUrlToAnotherSite_LandsOnTheAppsPage()
    {
        var page = await chromium.NewPageAsync(fixture.Server.Url);
        await page.GotoAsync("/login?returnUrl=%2F%2Fexample.com%2F");

        await ConsolePage.SignInAsync(page, "viewer-a", IdentityFixture.Password);

        Assert.Equal(new Uri(new Uri(fixture.Server.Url), "/").ToString(), page.Url);
    }

    /// <summary>A viewer in team A of this test's own, so revoking or removing it disturbs no other test.</summary>
    private async Task<string> CreateUserAsync()
    {
        var name = "console-" + Guid.NewGuid().ToString("N")[..8];
        using var admin = fixture.Client("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/users", new { name, password = IdentityFixture.Password, team = fixture.TeamA, role = "viewer" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return name;
    }

    /// <summary>The ids of the user's tokens that console sign-ins issued.</summary>
    private async Task<List<string>> ConsoleTokensAsync(string user)
    {
        using var admin = fixture.Client("admin");
        using var tokens = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/tokens"));
        return tokens.RootElement.EnumerateArray()
            .Where(t => t.GetProperty("user").GetString() == user
                && t.TryGetProperty("description", out var d) && d.GetString()!.StartsWith("console sign-in", StringComparison.Ordinal))
            .Select(t => t.GetProperty("id").GetString()!)
            .ToList();
    }

    private static IFormData Form(IAPIRequestContext request, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }
        return form;
    }

    [GeneratedRegex("^[0-9]+/1$")]
    private static partial Regex ReplicasPattern();
}
