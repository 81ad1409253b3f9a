using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gantry.IntegrationTests.Console;

/// <summary>What a user does in the console, in the browser: the steps every console test shares.</summary>
public static class ConsolePage
{
    /// <summary>Fills the sign-in form and submits it; returns the answer to the form's POST.</summary>
    public static async Task<IResponse> SubmitSignInAsync(IPage page, string user, string password)
    {
        if (!page.Url.Contains("/login", StringComparison.Ordinal))
        {
            await page.GotoAsync("/login");
        }
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        return await page.RunAndWaitForResponseAsync(
            () => page.ClickAsync("button[type=submit]"),
            r => r.Request.Method == "POST" && r.Url.Contains("/login", StringComparison.Ordinal));
    }

    /// <summary>Signs in and waits until the Apps page shows the user's name in the header.</summary>
    public static async Task SignInAsync(IPage page, string user, string password)
    {
        await SubmitSignInAsync(page, user, password);
        await Expect(page.GetByTestId("user")).ToHaveTextAsync(user);
    }

    /// <summary>
    /// Waits until the page follows its live feed: the stream is open, and the page may already have swapped in a fresher
    /// copy ("Following changes live: updated at ..."), since a change made just before the page opened can still notify it.
    /// </summary>
    public static Task ExpectFollowingLiveAsync(IPage page) =>
        Expect(page.GetByTestId("live-status")).ToHaveTextAsync(FollowingLive);

    private static readonly System.Text.RegularExpressions.Regex FollowingLive =
        new(@"^Following changes live(\.|: updated at .+\.)$");

    /// <summary>
    /// Takes a screenshot: into docs/console/ (where the README shows it) when GANTRY_UPDATE_SCREENSHOTS=1, else into the
    /// temporary directory, so a test run never leaves the checkout modified.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Environment.GetEnvironmentVariable("GANTRY_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(Infrastructure.RepositoryPaths.Root, "docs", "console")
            : Directory.CreateTempSubdirectory("gantry-console-shots-").FullName;
        var path = Path.Combine(directory, name);
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.NotEmpty(bytes);
    }

    /// <summary>
    /// A form POST built by hand with a valid anti-forgery token taken from the page's own sign-out form: what a signed-in
    /// user who forges a form sends, so only the server's own rules stand between it and the change.
    /// </summary>
    public static async Task<IAPIResponse> PostWithTokenAsync(IPage page, string path, params (string Name, string Value)[] fields)
    {
        await page.GotoAsync("/");
        var token = await page.Locator("header form input[name=__RequestVerificationToken]").GetAttributeAsync("value");
        var form = page.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token!);
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }
        return await page.APIRequest.PostAsync(path, new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
    }
}
