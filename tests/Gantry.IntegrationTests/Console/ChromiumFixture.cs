using Microsoft.Playwright;

namespace Gantry.IntegrationTests.Console;

/// <summary>
/// One headless Debian Chromium (/usr/bin/chromium, installed by scripts/prereqs.sh) driven by Playwright, shared by a
/// test class; every test gets its own browser context, so cookies never leak from one test into another.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: run scripts/prereqs.sh (apt-get install chromium)");
        // A slow shared machine signs in with PBKDF2; the outcome is what is asserted, so give it room.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh page in a fresh context (no cookies) against <paramref name="baseUrl"/>.</summary>
    /// <param name="javaScript">False for a browser with scripts off: pages must still work without them.</param>
    public async Task<IPage> NewPageAsync(string baseUrl, ViewportSize? viewport = null, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = viewport ?? new ViewportSize { Width = 1100, Height = 640 },
            JavaScriptEnabled = javaScript,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
