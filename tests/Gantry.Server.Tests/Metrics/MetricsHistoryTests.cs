using Gantry.Server.Metrics;

namespace Gantry.Server.Tests.Metrics;

public sealed class MetricsHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly SeriesKey Cpu = new("shop", "web", "web-1", "cpu");
    private static readonly SeriesKey Requests = new("shop", "web", "", "requests");

    [Fact]
    public void Query_MinuteStep_MinMaxAvgLastOfEachMinute()
    {
        var history = new MetricsHistory(long.MaxValue);
        double[] first = [0.2, 0.6, 0.4, 0.1, 0.5, 0.3];
        double[] second = [0.9, 0.7];
        for (var i = 0; i < first.Length; i++)
        {
            history.Record(Cpu, MetricKind.Gauge, T0.AddSeconds(10 * i), first[i], T0.AddSeconds(10 * i));
        }
        for (var i = 0; i < second.Length; i++)
        {
            history.Record(Cpu, MetricKind.Gauge, T0.AddSeconds(60 + 10 * i), second[i], T0.AddSeconds(60 + 10 * i));
        }

        var points = Assert.Single(history.Query("shop", null, T0, TimeSpan.FromMinutes(1), T0.AddSeconds(75))).Points;

        Assert.Equal(2, points.Count);
        Assert.Equal((T0, 0.1, 0.6, 6), (points[0].At, points[0].Min, points[0].Max, points[0].Count));
        Assert.Equal(0.35, points[0].Avg, 9);
        Assert.Equal(0.3, points[0].Last);
        Assert.Equal((T0.AddMinutes(1), 0.7, 0.9, 0.7), (points[1].At, points[1].Min, points[1].Max, points[1].Last));
        Assert.Equal(0.8, points[1].Avg, 9);
    }

    [Fact]
    public void Record_GaugeTwiceInASlot_LastWins_CounterTwiceInASlot_Adds()
    {
        var history = new MetricsHistory(long.MaxValue);
        history.Record(Cpu, MetricKind.Gauge, T0.AddSeconds(1), 0.5, T0.AddSeconds(1));
        history.Record(Cpu, MetricKind.Gauge, T0.AddSeconds(7), 0.8, T0.AddSeconds(7));
        history.Record(Requests, MetricKind.Counter, T0.AddSeconds(1), 30, T0.AddSeconds(1));
        history.Record(Requests, MetricKind.Counter, T0.AddSeconds(7), 12, T0.AddSeconds(7));

        var series = history.Query("shop", "web", T0, TimeSpan.FromSeconds(10), T0.AddSeconds(8));

        Assert.Equal(0.8, Assert.Single(series.Single(s => s.Key == Cpu).Points).Last);
        Assert.Equal(42, Assert.Single(series.Single(s => s.Key == Requests).Points).Sum);
    }

    [Fact]
    public void Query_CounterInFiveMinuteSteps_SumsEverySlot()
    {
        var history = new MetricsHistory(long.MaxValue);
        for (var s = 0; s < 600; s += 10)
        {
            history.Record(Requests, MetricKind.Counter, T0.AddSeconds(s), 1, T0.AddSeconds(s));
        }

        var points = Assert.Single(history.Query("shop", null, T0, TimeSpan.FromMinutes(5), T0.AddMinutes(10))).Points;

        Assert.Equal([30.0, 30.0], points.Select(p => p.Sum));
    }

    [Fact]
    public void Record_LateOrOutOfRange_RefusedAndCounted()
    {
        var history = new MetricsHistory(long.MaxValue);
        history.Record(Cpu, MetricKind.Gauge, T0.AddSeconds(30), 0.5, T0.AddSeconds(30));

        Assert.False(history.Record(Cpu, MetricKind.Gauge, T0.AddSeconds(10), 0.5, T0.AddSeconds(30)));
        Assert.False(history.Record(Cpu, MetricKind.Gauge, T0.AddSeconds(31), double.NaN, T0.AddSeconds(31)));
        Assert.False(history.Record(Cpu, MetricKind.Gauge, T0.AddHours(-25), 0.5, T0));
        Assert.Equal(3, history.Rejected);
    }

    [Fact]
    public void Expire_AfterFifteenDays_SlotsOnlyForADayAndMinutesOnlyForFourteen()
    {
        var history = new MetricsHistory(long.MaxValue);
        var end = T0.AddDays(15);
        // One sample a minute for 15 days, and every 10 s for the last 25 hours.
        for (var at = T0; at < end; at = at.AddSeconds(at >= end.AddHours(-25) ? 10 : 60))
        {
            history.Record(Cpu, MetricKind.Gauge, at, 0.5, at);
        }
        history.Expire(end);

        var slots = Assert.Single(history.Query("shop", null, end.AddDays(-30), TimeSpan.FromSeconds(10), end)).Points;
        var minutes = Assert.Single(history.Query("shop", null, end.AddDays(-30), TimeSpan.FromMinutes(1), end)).Points;

        // An older start reads the minutes; the slots are checked from 24 h back.
        var lastDay = Assert.Single(history.Query("shop", null, end.AddHours(-24), TimeSpan.FromSeconds(10), end)).Points;
        Assert.True(lastDay[0].At >= end.AddHours(-24));
        Assert.Equal(TimeSpan.FromHours(24) / TimeSpan.FromSeconds(10), lastDay.Count);
        Assert.True(minutes[0].At >= end.AddDays(-14));
        Assert.Equal(TimeSpan.FromDays(14) / TimeSpan.FromMinutes(1), minutes.Count);
        Assert.Equal(minutes.Count, slots.Count); // a start beyond a day falls back to the minutes
    }

    [Fact]
    public void Record_OverTheBudget_OldestDroppedFirstAndCounted()
    {
        var budget = 20_000;
        var history = new MetricsHistory(budget);
        var other = Cpu with { Replica = "web-2" };
        for (var s = 0; s < 3_600; s += 10)
        {
            history.Record(Cpu, MetricKind.Gauge, T0.AddSeconds(s), 0.5, T0.AddSeconds(s));
            history.Record(other, MetricKind.Gauge, T0.AddSeconds(s), 0.5, T0.AddSeconds(s));
        }

        Assert.True(history.Bytes <= budget, $"{history.Bytes} bytes");
        Assert.True(history.Dropped > 0);
        var series = history.Query("shop", null, T0, TimeSpan.FromSeconds(10), T0.AddHours(1));
        // What is left is the newest: both series keep their last slot, and neither kept anything the other dropped.
        Assert.All(series, s => Assert.Equal(T0.AddSeconds(3_590), s.Points[^1].At));
        Assert.True(Math.Abs(series[0].Points[0].At.ToUnixTimeSeconds() - series[1].Points[0].At.ToUnixTimeSeconds()) <= 60);
    }
}
