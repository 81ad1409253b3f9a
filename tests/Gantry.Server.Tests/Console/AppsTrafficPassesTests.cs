using Gantry.Server.Console;

namespace Gantry.Server.Tests.Console;

public sealed class AppsTrafficPassesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Moved_NoRequestsEverReported_NoPassWakesTheAppsPage()
    {
        var passes = new AppsTrafficPasses();

        Assert.False(passes.Moved(Start));
        Assert.False(passes.Moved(Start.AddSeconds(10)));
    }

    [Fact]
    public void Moved_AfterRequests_EveryPassUntilTheyLeaveTheWindowThenNone()
    {
        var passes = new AppsTrafficPasses();
        passes.RequestsReported();

        Assert.True(passes.Moved(Start));
        Assert.True(passes.Moved(Start.AddSeconds(10)));
        Assert.True(passes.Moved(Start + AppsTrafficPasses.Shown));
        Assert.False(passes.Moved(Start + AppsTrafficPasses.Shown + TimeSpan.FromSeconds(10)));
        Assert.False(passes.Moved(Start + AppsTrafficPasses.Shown + TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Moved_RequestsAgainLater_TheWindowRestartsFromThePassThatRecordedThem()
    {
        var passes = new AppsTrafficPasses();
        passes.RequestsReported();
        Assert.True(passes.Moved(Start));
        Assert.False(passes.Moved(Start + TimeSpan.FromHours(1)));

        passes.RequestsReported();
        var later = Start + TimeSpan.FromHours(2);

        Assert.True(passes.Moved(later));
        Assert.True(passes.Moved(later + AppsTrafficPasses.Shown));
        Assert.False(passes.Moved(later + AppsTrafficPasses.Shown + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Shown_IsTheAppsPagesWindowAndOneStep() =>
        Assert.Equal(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(30), AppsTrafficPasses.Shown);
}
