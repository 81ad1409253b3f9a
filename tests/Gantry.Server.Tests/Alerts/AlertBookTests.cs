using Gantry.Server.Alerts;

namespace Gantry.Server.Tests.Alerts;

public class AlertBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertOptions Options = new() { RepeatInterval = TimeSpan.FromHours(4) };

    private static AlertSignal CrashLoop(string summary = "web: shop-web-1 is crash-looping") =>
        new(AlertRules.CrashLoop, AlertRules.Critical, "shop", "web", summary, TimeSpan.Zero);

    private static AlertSignal Below() =>
        new(AlertRules.BelowDesired, AlertRules.Warning, "shop", "web", "web: 1 of 2 replicas healthy", TimeSpan.FromMinutes(2));

    [Fact]
    public void Step_SameConditionSeenAgain_FiresOnce()
    {
        var book = new AlertBook(Options);

        var first = book.Step([CrashLoop()], T0);
        var again = book.Step([CrashLoop("web: shop-web-1 is crash-looping (6 restarts)")], T0.AddSeconds(10));

        var fired = Assert.Single(first);
        Assert.Equal((AlertTransitionKind.Firing, "crash-loop/shop/web"), (fired.Kind, fired.Key));
        Assert.Equal("firing", fired.Alert.State);
        Assert.Empty(again);
        Assert.Equal("web: shop-web-1 is crash-looping (6 restarts)", Assert.Single(book.Firing).Summary);
    }

    [Fact]
    public void Step_ConditionWithADuration_PendingUntilItHasHeldThatLong()
    {
        var book = new AlertBook(Options);

        Assert.Empty(book.Step([Below()], T0));
        Assert.Equal(T0.AddMinutes(2), book.NextDue());
        Assert.Empty(book.Step([Below()], T0.AddSeconds(90)));
        var fired = Assert.Single(book.Step([Below()], T0.AddMinutes(2)));

        Assert.Equal(AlertTransitionKind.Firing, fired.Kind);
        Assert.Equal(T0, fired.Alert.Since);
    }

    [Fact]
    public void Step_PendingConditionGone_NeverFiresNorResolves()
    {
        var book = new AlertBook(Options);

        book.Step([Below()], T0);

        Assert.Empty(book.Step([], T0.AddSeconds(30)));
        Assert.Null(book.NextDue());
        Assert.Empty(book.Resolved);
    }

    [Fact]
    public void Step_FiringForTheRepeatInterval_NotifiedAgainThenResolvedOnce()
    {
        var book = new AlertBook(Options);
        book.Step([CrashLoop()], T0);

        Assert.Equal(T0.AddHours(4), book.NextDue());
        Assert.Empty(book.Step([CrashLoop()], T0.AddHours(3)));
        Assert.Equal(AlertTransitionKind.Repeat, Assert.Single(book.Step([CrashLoop()], T0.AddHours(4))).Kind);
        var resolved = Assert.Single(book.Step([], T0.AddHours(5)));
        Assert.Equal(AlertTransitionKind.Resolved, resolved.Kind);
        Assert.Equal(("resolved", T0.AddHours(5)), (resolved.Alert.State, resolved.Alert.ResolvedAt));
        Assert.Empty(book.Step([], T0.AddHours(6)));
        Assert.Empty(book.Firing);
        Assert.Single(book.Resolved);
    }

    [Fact]
    public void Restore_FiringBeforeARestart_NotNotifiedAgain()
    {
        var first = new AlertBook(Options);
        var fired = Assert.Single(first.Step([CrashLoop()], T0));
        var restarted = new AlertBook(Options);

        restarted.Restore(fired.Key, fired.Alert);

        Assert.Empty(restarted.Step([CrashLoop()], T0.AddMinutes(5)));
        Assert.Equal(AlertTransitionKind.Resolved, Assert.Single(restarted.Step([], T0.AddMinutes(6))).Kind);
    }
}
