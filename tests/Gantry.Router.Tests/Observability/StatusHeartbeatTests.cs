using Gantry.Router.Contracts.Routes;
using Gantry.Router.Contracts.Status;
using Gantry.Router.Observability;

namespace Gantry.Router.Tests.Observability;

public sealed class StatusHeartbeatTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-04T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly HashSet<(string, string)> RoutedWeb = [("web", "web-1"), ("web", "web-2")];

    private static RouterStatusReport Report(long version, TimeSpan at, params DestinationInFlight[] inFlight) =>
        new("r1", version, T0 + at, inFlight);

    private static RouterStatusMeaning Meaning(RouterStatusReport report) => RouterStatusMeaning.Of(report, RoutedWeb);

    /// <summary>Runs the reporter's decision once a second for <paramref name="seconds"/> simulated seconds; returns when it sent.</summary>
    private static List<TimeSpan> Run(StatusHeartbeat heartbeat, int seconds, Func<TimeSpan, RouterStatusReport> sample)
    {
        var sent = new List<TimeSpan>();
        for (var s = 0; s <= seconds; s++)
        {
            var now = TimeSpan.FromSeconds(s);
            var meaning = Meaning(sample(now));
            if (heartbeat.ShouldSend(meaning, now))
            {
                heartbeat.Delivered(meaning, now);
                sent.Add(now);
            }
        }

        return sent;
    }

    [Fact]
    public void ShouldSend_IdleRouterFor600Seconds_OnlyTheFirstReportAndKeepalives()
    {
        var heartbeat = new StatusHeartbeat(TimeSpan.FromSeconds(10), new Random(7).NextDouble);

        // The clock in the report ticks, and so do the in-flight counts of routed destinations: neither means anything new.
        var sent = Run(heartbeat, 600, at => Report(4, at, new DestinationInFlight("web", "web-1", 1 + ((int)at.TotalSeconds % 5))));

        Assert.Equal(TimeSpan.Zero, sent[0]);
        var gaps = sent.Zip(sent.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, gap => Assert.InRange(gap, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(12)));
        Assert.InRange(sent.Count, 600 / 12, (600 / 9) + 1);
        // The jitter spreads them: not every gap is the same.
        Assert.True(gaps.Distinct().Count() > 1, string.Join(", ", gaps));
    }

    [Fact]
    public void ShouldSend_TableAppliedBetweenKeepalives_SentAtTheFirstCheckAfterIt()
    {
        var heartbeat = new StatusHeartbeat(TimeSpan.FromSeconds(10), () => 0.5);

        var sent = Run(heartbeat, 30, at => Report(at < TimeSpan.FromSeconds(13) ? 4 : 5, at));

        // 0 s the first, 10 s a keepalive, 13 s the new table at once, then keepalives from there (23 s).
        Assert.Equal(new[] { 0, 10, 13, 23 }.Select(s => TimeSpan.FromSeconds(s)), sent);
    }

    [Fact]
    public void ShouldSend_DrainingDestinationFinishesItsLastRequest_SentAtOnce()
    {
        var heartbeat = new StatusHeartbeat(TimeSpan.FromSeconds(10), () => 0.5);
        // web-old stands at weight 0 (or was dropped): its requests are what the server's drain waits for.
        var sent = Run(heartbeat, 8, at => at < TimeSpan.FromSeconds(4)
            ? Report(4, at, new DestinationInFlight("web", "web-old", 2))
            : Report(4, at));

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(4)], sent);
    }

    [Fact]
    public void ShouldSend_UnreadyOrRejectedChanges_SentAtOnce()
    {
        var heartbeat = new StatusHeartbeat(TimeSpan.FromSeconds(10), () => 0.5);
        var base4 = Report(4, TimeSpan.Zero);
        heartbeat.Delivered(Meaning(base4), TimeSpan.Zero);

        Assert.False(heartbeat.ShouldSend(Meaning(base4 with { Time = T0.AddSeconds(1) }), TimeSpan.FromSeconds(1)));
        Assert.True(heartbeat.ShouldSend(Meaning(base4 with { Unready = ["web-2"] }), TimeSpan.FromSeconds(1)));
        Assert.True(heartbeat.ShouldSend(Meaning(base4 with { Rejected = [new RejectedEntry("routes[0]", "x", "bad")] }), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Forget_AfterAFailedPostOrAFeedReconnect_SameMeaningSentAgain()
    {
        var heartbeat = new StatusHeartbeat(TimeSpan.FromSeconds(10), () => 0.5);
        var meaning = Meaning(Report(4, TimeSpan.Zero));
        heartbeat.Delivered(meaning, TimeSpan.Zero);
        Assert.False(heartbeat.ShouldSend(meaning, TimeSpan.FromSeconds(1)));

        heartbeat.Forget();

        Assert.True(heartbeat.ShouldSend(meaning, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Meaning_SameListsInNewInstances_Equal()
    {
        var a = new RouterStatusMeaning(3, ["a", "b"], [new RejectedEntry("routes[0]", "x", "bad")], ["web/web-old"]);
        var b = new RouterStatusMeaning(3, ["a", "b"], [new RejectedEntry("routes[0]", "x", "bad")], ["web/web-old"]);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Draining = [] });
        Assert.NotEqual(a, b with { TableVersion = 4 });
    }
}
