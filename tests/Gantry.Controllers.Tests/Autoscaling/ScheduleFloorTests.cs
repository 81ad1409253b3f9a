using Gantry.Controllers.Autoscaling;
using Gantry.Model.Autoscaling;

namespace Gantry.Controllers.Tests.Autoscaling;

public sealed class ScheduleFloorTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static AutoscaleSpec Friday(string cron = "0 19 * * 5", TimeSpan? span = null) =>
        new() { Min = 2, Max = 10, Cpu = 0.7, Schedule = [new AutoscaleFloor(cron, 8, span ?? TimeSpan.FromHours(4))] };

    private static AutoscaleDecision Decide(AutoscaleSpec spec, int current, DateTimeOffset now, TimeZoneInfo? zone = null) =>
        Autoscaler.Decide(new AutoscaleInput
        {
            Spec = spec,
            Current = current,
            Now = now,
            Zone = zone ?? TimeZoneInfo.Utc,
            Usage = [.. Enumerable.Range(0, current).Select(r => new ReplicaUsage(now, $"web-{r}", 0.1, null))],
        });

    [Fact]
    public void Decide_WithinAnEntrysSpan_RaisedToItsFloor()
    {
        var decision = Decide(Friday(), 2, new DateTimeOffset(2025, 6, 6, 20, 0, 0, TimeSpan.Zero)); // a Friday

        Assert.Equal((8, AutoscaleReason.ScheduleFloor), (decision.Desired, decision.Reason));
        Assert.Equal("schedule '0 19 * * 5' floor 8: 2 -> 8", decision.Message);
    }

    [Theory]
    [InlineData(18, 59)]
    [InlineData(23, 0)]
    public void Decide_OutsideTheSpan_NoFloor(int hour, int minute)
    {
        var decision = Decide(Friday(), 2, new DateTimeOffset(2025, 6, 6, hour, minute, 0, TimeSpan.Zero));

        Assert.Equal(2, decision.Desired);
    }

    [Fact]
    public void Decide_LowLoadUnderAFloor_HeldByTheSchedule()
    {
        var decision = Decide(Friday(), 8, new DateTimeOffset(2025, 6, 6, 21, 0, 0, TimeSpan.Zero));

        Assert.Equal((8, AutoscaleReason.Stabilising), (decision.Desired, decision.Reason));
    }

    [Fact]
    public void Decide_TwoEntriesHold_TheHigherFloorWins()
    {
        var spec = Friday() with { Schedule = [new AutoscaleFloor("0 19 * * 5", 4, TimeSpan.FromHours(4)), new AutoscaleFloor("0 20 * * 5", 6, TimeSpan.FromHours(1))] };

        var decision = Decide(spec, 2, new DateTimeOffset(2025, 6, 6, 20, 30, 0, TimeSpan.Zero));

        Assert.Equal("schedule '0 20 * * 5' floor 6: 2 -> 6", decision.Message);
    }

    [Theory]
    [InlineData("2025-03-28T18:30:00Z")] // 19:30 CET, winter
    [InlineData("2025-04-04T17:30:00Z")] // 19:30 CEST, summer: 19:00 on the wall clock, 17:00 UTC
    public void Decide_CronInTheServersZone_FollowsTheWallClockAcrossSeasons(string utc)
    {
        var decision = Decide(Friday(), 2, DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), Berlin);

        Assert.Equal(8, decision.Desired);
    }

    [Fact]
    public void Decide_SummerEveningBeforeTheLocalHour_NoFloorAlthoughUtcWouldSayYes()
    {
        // 2025-04-04 19:30 UTC is 21:30 in Berlin; the floor began at 17:00 UTC and lasts 4 h, so it holds...
        Assert.Equal(8, Decide(Friday(), 2, new DateTimeOffset(2025, 4, 4, 19, 30, 0, TimeSpan.Zero), Berlin).Desired);
        // ...but at 21:30 UTC (23:30 local) it has ended, where reading the cron in UTC would still hold it (19:00-23:00 UTC).
        Assert.Equal(2, Decide(Friday(), 2, new DateTimeOffset(2025, 4, 4, 21, 30, 0, TimeSpan.Zero), Berlin).Desired);
    }

    [Fact]
    public void Decide_SpanAcrossTheAutumnChange_ForIsElapsedTime()
    {
        // 2025-10-26: Berlin's clocks go back from 03:00 CEST to 02:00 CET. The floor starts at 01:00 CEST (23:00 UTC the day before) for 2 h.
        var spec = Friday("0 1 * * *", TimeSpan.FromHours(2));

        // 02:30 local, the first time (00:30 UTC): 1.5 h after the start.
        Assert.Equal(8, Decide(spec, 2, new DateTimeOffset(2025, 10, 26, 0, 30, 0, TimeSpan.Zero), Berlin).Desired);
        // 02:30 local again, an hour later (01:30 UTC): 2.5 h after the start, so the floor is over.
        Assert.Equal(2, Decide(spec, 2, new DateTimeOffset(2025, 10, 26, 1, 30, 0, TimeSpan.Zero), Berlin).Desired);
    }

    [Fact]
    public void Decide_CronTimeSkippedBySpringChange_FloorStartsWhenTheClockJumps()
    {
        // 2025-03-30: Berlin skips 02:00-03:00. "30 2 * * *" has no 02:30 that day; it fires at 03:00 CEST (01:00 UTC).
        var spec = Friday("30 2 * * *", TimeSpan.FromHours(1));

        Assert.Equal(2, Decide(spec, 2, new DateTimeOffset(2025, 3, 30, 0, 55, 0, TimeSpan.Zero), Berlin).Desired);
        Assert.Equal(8, Decide(spec, 2, new DateTimeOffset(2025, 3, 30, 1, 10, 0, TimeSpan.Zero), Berlin).Desired);
        Assert.Equal(2, Decide(spec, 2, new DateTimeOffset(2025, 3, 30, 2, 0, 0, TimeSpan.Zero), Berlin).Desired);
    }

    [Fact]
    public void Decide_FloorAboveMax_CappedAtMax()
    {
        var spec = Friday() with { Max = 5 };

        Assert.Equal(5, Decide(spec, 2, new DateTimeOffset(2025, 6, 6, 20, 0, 0, TimeSpan.Zero)).Desired);
    }

    [Fact]
    public void NextFloorStart_ThePeakAhead_ItsNextOccurrenceInTheZone()
    {
        var thursday = new DateTimeOffset(2025, 6, 5, 12, 0, 0, TimeSpan.Zero);

        var next = Autoscaler.NextFloorStart(Friday(), thursday, Berlin);

        Assert.Equal(new DateTimeOffset(2025, 6, 6, 17, 0, 0, TimeSpan.Zero), next); // 19:00 in Berlin (summer time)
    }

    [Fact]
    public void NextFloorStart_AtAnOccurrence_TheOneAfterIt()
    {
        var friday = new DateTimeOffset(2025, 6, 6, 19, 0, 0, TimeSpan.Zero);

        Assert.Equal(friday.AddDays(7), Autoscaler.NextFloorStart(Friday(), friday, TimeZoneInfo.Utc));
    }

    [Fact]
    public void NextFloorStart_TwoEntries_TheEarlierWins_AndNoScheduleHasNone()
    {
        var spec = Friday() with { Schedule = [new AutoscaleFloor("0 19 * * 5", 4, TimeSpan.FromHours(4)), new AutoscaleFloor("30 8 * * *", 3, TimeSpan.FromHours(1))] };
        var thursday = new DateTimeOffset(2025, 6, 5, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2025, 6, 6, 8, 30, 0, TimeSpan.Zero), Autoscaler.NextFloorStart(spec, thursday, TimeZoneInfo.Utc));
        Assert.Null(Autoscaler.NextFloorStart(Friday() with { Schedule = [] }, thursday, TimeZoneInfo.Utc));
    }

    [Fact]
    public void Decide_AtZeroWhenAFloorStarts_WakesToTheFloor_WithoutAnySample()
    {
        var spec = Friday() with { Min = 0, Idle = TimeSpan.FromMinutes(10) };

        var decision = Decide(spec, 0, new DateTimeOffset(2025, 6, 6, 19, 0, 1, TimeSpan.Zero));

        Assert.Equal((8, AutoscaleReason.ScheduleFloor), (decision.Desired, decision.Reason));
    }
}
