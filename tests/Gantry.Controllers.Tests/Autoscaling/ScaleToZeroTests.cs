using Gantry.Controllers.Autoscaling;
using Gantry.Model.Autoscaling;

namespace Gantry.Controllers.Tests.Autoscaling;

public sealed class ScaleToZeroTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly AutoscaleSpec ToZero = new() { Min = 0, Max = 5, RequestsPerSecond = 50, Idle = TimeSpan.FromMinutes(10) };

    private static List<TrafficSample> Quiet(DateTimeOffset now) => [new(now.AddSeconds(-10), 0, null), new(now, 0, null)];

    [Fact]
    public void Decide_NoRequestForIdle_ScalesToZero()
    {
        var now = T0.AddMinutes(15);
        var history = AutoscaleHistory.Empty with { TrafficSince = T0, LastRequestAt = T0.AddMinutes(4) };

        var decision = Autoscaler.Decide(new AutoscaleInput { Spec = ToZero, Current = 2, Now = now, Traffic = Quiet(now), History = history });

        Assert.Equal((0, AutoscaleReason.Idle), (decision.Desired, decision.Reason));
        Assert.Equal("no request for 10m: 2 -> 0", decision.Message);
    }

    [Fact]
    public void Decide_ARequestWithinIdle_StaysUp()
    {
        var now = T0.AddMinutes(15);
        var history = AutoscaleHistory.Empty with { TrafficSince = T0, LastRequestAt = T0.AddMinutes(6) };

        var decision = Autoscaler.Decide(new AutoscaleInput { Spec = ToZero, Current = 1, Now = now, Traffic = Quiet(now), History = history });

        Assert.Equal(1, decision.Desired);
    }

    [Fact]
    public void Decide_QuietEveryDecisionForIdle_ZeroOnlyWhenTheRoutersHaveReportedThatLong()
    {
        var history = AutoscaleHistory.Empty;
        AutoscaleDecision? last = null;
        for (var s = 0; s <= 600; s += 30)
        {
            var now = T0.AddSeconds(s);
            last = Autoscaler.Decide(new AutoscaleInput { Spec = ToZero, Current = 1, Now = now, Traffic = Quiet(now), History = history });
            history = last.History;
            if (now - T0.AddSeconds(-10) < TimeSpan.FromMinutes(10))
            {
                Assert.Equal(1, last.Desired);
            }
        }
        Assert.Equal(0, last!.Desired);
    }

    [Fact]
    public void Decide_NoRouterData_NeverIdle()
    {
        var now = T0.AddMinutes(30);
        // The history says quiet for 30 minutes, but this window has no router data: the clock restarts.
        var history = AutoscaleHistory.Empty with { TrafficSince = T0 };

        var decision = Autoscaler.Decide(new AutoscaleInput { Spec = ToZero, Current = 1, Now = now, History = history });

        Assert.Equal((1, AutoscaleReason.MissingData), (decision.Desired, decision.Reason));
        Assert.Null(decision.History.TrafficSince);
    }

    [Fact]
    public void Decide_RequestAtZero_WakesOne()
    {
        List<TrafficSample> traffic = [new(T0, 0.1, TimeSpan.FromMilliseconds(900))];

        var decision = Autoscaler.Decide(new AutoscaleInput { Spec = ToZero, Current = 0, Now = T0, Traffic = traffic });

        Assert.Equal((1, AutoscaleReason.Wake), (decision.Desired, decision.Reason));
        Assert.Equal("a request arrived at zero replicas: 0 -> 1", decision.Message);
        Assert.Equal(T0, decision.History.LastRequestAt);
    }

    [Fact]
    public void Decide_AtZero_TheRequestsBeforeItWentToZeroDoNotWakeIt()
    {
        // Went to zero 20 s after the last request; the window still shows that request's slot.
        List<TrafficSample> traffic = [new(T0, 2, null), new(T0.AddSeconds(10), 0, null), new(T0.AddSeconds(20), 0, null)];
        var history = AutoscaleHistory.Empty with { LastScaleIn = T0.AddSeconds(25), LastRequestAt = T0, TrafficSince = T0 };

        var decision = Autoscaler.Decide(new AutoscaleInput { Spec = ToZero, Current = 0, Now = T0.AddSeconds(30), Traffic = traffic, History = history });

        Assert.Equal((0, AutoscaleReason.Idle), (decision.Desired, decision.Reason));
    }

    [Fact]
    public void Decide_QuietAtZero_StaysAtZero()
    {
        var decision = Autoscaler.Decide(new AutoscaleInput { Spec = ToZero, Current = 0, Now = T0, Traffic = Quiet(T0) });

        Assert.Equal((0, AutoscaleReason.Idle), (decision.Desired, decision.Reason));
        Assert.Equal("hold at 0: no request", decision.Message);
    }

    [Fact]
    public void Decide_ScheduleFloorAtZero_RaisedWithoutARequest()
    {
        var spec = ToZero with { Schedule = [new AutoscaleFloor("0 12 * * *", 2, TimeSpan.FromHours(1))] };

        var decision = Autoscaler.Decide(new AutoscaleInput { Spec = spec, Current = 0, Now = T0.AddMinutes(5), Traffic = Quiet(T0.AddMinutes(5)) });

        Assert.Equal((2, AutoscaleReason.ScheduleFloor), (decision.Desired, decision.Reason));
        Assert.Equal("schedule '0 12 * * *' floor 2: 0 -> 2", decision.Message);
    }

    [Fact]
    public void Decide_IdleUnderAScheduleFloor_KeepsTheFloor()
    {
        var spec = ToZero with { Schedule = [new AutoscaleFloor("0 12 * * *", 2, TimeSpan.FromHours(1))] };
        var now = T0.AddMinutes(30);
        var history = AutoscaleHistory.Empty with { TrafficSince = T0.AddHours(-1) };

        var decision = Autoscaler.Decide(new AutoscaleInput { Spec = spec, Current = 2, Now = now, Traffic = Quiet(now), History = history });

        Assert.Equal(2, decision.Desired);
    }
}
