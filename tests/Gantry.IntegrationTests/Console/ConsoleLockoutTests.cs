using System.Text.RegularExpressions;
using Gantry.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Gantry.IntegrationTests.Console;

/// <summary>
/// Ten failed sign-ins through the console lock the user name and the address out (the API's limiter), on a server of
/// its own: the lock covers the test's whole address, which every other console test signs in from.
/// </summary>
public sealed class ConsoleLockoutTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private GantryServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await GantryServerProcess.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SignIn_TenFailures_ThePageSays429AndTheWaitEvenForTheRightPassword()
    {
        var page = await chromium.NewPageAsync(_server.Url);
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var refused = await ConsolePage.SubmitSignInAsync(page, "admin", $"wrong-{attempt}");
            Assert.Equal(401, refused.Status);
        }

        var locked = await ConsolePage.SubmitSignInAsync(page, "admin", _server.Token);

        Assert.Equal(429, locked.Status);
        Assert.True(int.TryParse(await locked.HeaderValueAsync("retry-after"), out var seconds) && seconds > 0);
        await Expect(page.GetByTestId("error")).ToHaveTextAsync(new Regex("^Too many failed sign-ins for this user or from this address\\. Try again in [0-9]+ s\\.$"));
        await Expect(page.GetByTestId("user")).ToHaveCountAsync(0);
    }
}
