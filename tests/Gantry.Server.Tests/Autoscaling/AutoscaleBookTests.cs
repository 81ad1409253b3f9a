using Gantry.Controllers.Autoscaling;
using Gantry.Server.Autoscaling;

namespace Gantry.Server.Tests.Autoscaling;

public class AutoscaleBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static AutoscaleDecision Hold(int count, AutoscaleReason reason = AutoscaleReason.WithinTargets) =>
        new(count, reason, $"hold at {count}", AutoscaleHistory.Empty);

    [Fact]
    public void Record_RepeatedHolds_KeptOnceAsRecent()
    {
        var book = new AutoscaleBook();

        for (var i = 0; i < 5; i++)
        {
            book.Record("shop", "web", T0.AddSeconds(10 * i), 2, Hold(2), AutoscaleHistory.Empty);
        }
        book.Record("shop", "web", T0.AddSeconds(60), 2, new AutoscaleDecision(4, AutoscaleReason.AboveTarget, "cpu: 2 -> 4", AutoscaleHistory.Empty), AutoscaleHistory.Empty);

        var (last, recent, _) = book.View("shop", "web");
        Assert.Equal(T0.AddSeconds(60), last!.At);
        Assert.Equal([(2, 4), (2, 2)], recent.Select(d => (d.From, d.To)));
        Assert.Equal(T0, recent[1].At);
    }

    [Fact]
    public void Record_Limited_OneEpisodePerStretch()
    {
        var book = new AutoscaleBook();
        var atMax = Hold(4, AutoscaleReason.AtMax);

        Assert.True(book.Record("shop", "web", T0, 4, atMax, AutoscaleHistory.Empty));
        Assert.False(book.Record("shop", "web", T0.AddSeconds(10), 4, atMax, AutoscaleHistory.Empty));
        Assert.False(book.Record("shop", "web", T0.AddSeconds(20), 4, Hold(4), AutoscaleHistory.Empty));
        Assert.True(book.Record("shop", "web", T0.AddSeconds(30), 4, atMax, AutoscaleHistory.Empty));
    }

    [Fact]
    public void Record_HistoryHandedToTheNextDecision_ForgottenWithTheService()
    {
        var book = new AutoscaleBook();
        var history = AutoscaleHistory.Empty with { LastScaleOut = T0 };

        book.Record("shop", "web", T0, 2, Hold(2), history);

        Assert.Same(history, book.HistoryOf("shop", "web"));
        book.Retain(new HashSet<(string, string)>());
        Assert.Same(AutoscaleHistory.Empty, book.HistoryOf("shop", "web"));
    }
}
