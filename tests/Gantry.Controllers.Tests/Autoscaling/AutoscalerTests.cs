using Gantry.Controllers.Autoscaling;
using Gantry.Model.Autoscaling;

namespace Gantry.Controllers.Tests.Autoscaling;

public sealed class AutoscalerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly AutoscaleSpec Cpu70 = new() { Min = 1, Max = 10, Cpu = 0.7 };

    /// <summary>Each of <paramref name="replicas"/> replicas reported <paramref name="cpu"/> every 10 s over the minute before <paramref name="now"/>.</summary>
    private static List<ReplicaUsage> Usage(DateTimeOffset now, int replicas, double? cpu, double? memory = null) =>
        [.. from r in Enumerable.Range(0, replicas) from s in Enumerable.Range(0, 6) select new ReplicaUsage(now.AddSeconds(-10 * s), $"web-{r}", cpu, memory)];

    private static List<TrafficSample> Traffic(DateTimeOffset now, double rps, TimeSpan? p95 = null) =>
        [.. Enumerable.Range(0, 6).Select(s => new TrafficSample(now.AddSeconds(-10 * s), rps, p95))];

    private static AutoscaleInput Input(AutoscaleSpec spec, int current, DateTimeOffset? now = null, double? cpu = null) => new()
    {
        Spec = spec,
        Current = current,
        Now = now ?? T0,
        Usage = cpu is null ? [] : Usage(now ?? T0, current, cpu),
    };

    [Fact]
    public void Decide_CpuAboveTarget_OutAtOnceByTheRatio()
    {
        var decision = Autoscaler.Decide(Input(Cpu70, 3, cpu: 0.91));

        Assert.Equal((4, AutoscaleReason.AboveTarget), (decision.Desired, decision.Reason));
        Assert.Equal("cpu 91% > 70% target: 3 -> 4", decision.Message);
        Assert.Equal(T0, decision.History.LastScaleOut);
    }

    [Fact]
    public void Decide_Readings_CarryEachTargetAsObserved()
    {
        var decision = Autoscaler.Decide(Input(Cpu70, 3, cpu: 0.91));

        var reading = Assert.Single(decision.Readings);
        Assert.Equal(AutoscaleTarget.Cpu, reading.Target);
        Assert.Equal("cpu", reading.Name);
        Assert.Equal(0.91, reading.Observed, 6);
        Assert.Equal(0.7, reading.Wanted, 6);
        Assert.True(reading.Complete);
    }

    [Fact]
    public void Decide_LoadStepInTheLastTwoPasses_OutAtOnce_ThoughTheMinutesMeanIsBelowTarget()
    {
        // 5 req/s for most of the minute, then 40 for the last two passes: the minute's mean (16.7) is under 20.
        var spec = new AutoscaleSpec { Min = 1, Max = 4, RequestsPerSecond = 20 };
        List<TrafficSample> traffic = [.. Enumerable.Range(0, 6).Select(s => new TrafficSample(T0.AddSeconds(-10 * s), s < 2 ? 40 : 5, null))];

        var decision = Autoscaler.Decide(Input(spec, 1) with { Traffic = traffic });

        Assert.Equal((2, AutoscaleReason.AboveTarget), (decision.Desired, decision.Reason));
        Assert.Equal("rps 40/replica > 20 target: 1 -> 2", decision.Message);
    }

    [Fact]
    public void Decide_MemoryAboveTarget_Out()
    {
        var spec = new AutoscaleSpec { Max = 10, Memory = 0.8 };

        var decision = Autoscaler.Decide(Input(spec, 3) with { Usage = Usage(T0, 3, cpu: null, memory: 0.9) });

        Assert.Equal("memory 90% > 80% target: 3 -> 4", decision.Message); // ceil(3 * 0.9 / 0.8) = ceil(3.375)
    }

    [Fact]
    public void Decide_RequestsPerReplicaAboveTarget_Out()
    {
        var spec = new AutoscaleSpec { Max = 10, RequestsPerSecond = 100 };

        var decision = Autoscaler.Decide(Input(spec, 3) with { Traffic = Traffic(T0, 450) });

        Assert.Equal("rps 150/replica > 100 target: 3 -> 5", decision.Message);
    }

    [Fact]
    public void Decide_P95AboveTarget_Out()
    {
        var spec = new AutoscaleSpec { Max = 10, P95 = TimeSpan.FromMilliseconds(300) };

        var decision = Autoscaler.Decide(Input(spec, 2) with { Traffic = Traffic(T0, 50, TimeSpan.FromMilliseconds(450)) });

        Assert.Equal("p95 450ms > 300ms target: 2 -> 3", decision.Message);
    }

    [Fact]
    public void Decide_TwoTargetsAbove_TheOneAskingMoreWins()
    {
        var spec = Cpu70 with { RequestsPerSecond = 100 };

        var decision = Autoscaler.Decide(Input(spec, 2, cpu: 0.8) with { Traffic = Traffic(T0, 400) });

        Assert.Equal("rps 200/replica > 100 target: 2 -> 4", decision.Message); // cpu alone would ask for 3
    }

    [Fact]
    public void Decide_FarAboveTarget_AtMostDoublingPerStep()
    {
        var spec = new AutoscaleSpec { Max = 20, Cpu = 0.2 };

        var decision = Autoscaler.Decide(Input(spec, 2, cpu: 1.0));

        Assert.Equal(4, decision.Desired);
        Assert.Equal("cpu 100% > 20% target (at most doubling per step; wanted 10): 2 -> 4", decision.Message);
    }

    [Fact]
    public void Decide_AboveTargetNearMax_CappedAtMax()
    {
        var decision = Autoscaler.Decide(Input(Cpu70 with { Max = 5 }, 4, cpu: 1.0));

        Assert.Equal("cpu 100% > 70% target (max 5; wanted 6): 4 -> 5", decision.Message);
    }

    [Fact]
    public void Decide_AboveTargetAtMax_HoldsAndSaysSo()
    {
        var decision = Autoscaler.Decide(Input(Cpu70 with { Max = 4 }, 4, cpu: 1.0));

        Assert.Equal((4, AutoscaleReason.AtMax), (decision.Desired, decision.Reason));
        Assert.Equal("hold at 4: cpu 100% > 70% target, at max 4", decision.Message);
    }

    [Fact]
    public void Decide_CountAboveMax_LoweredToMax()
    {
        var decision = Autoscaler.Decide(Input(Cpu70 with { Max = 5 }, 8, cpu: 0.7));

        Assert.Equal((5, AutoscaleReason.Maximum), (decision.Desired, decision.Reason));
    }

    [Fact]
    public void Decide_CountBelowMin_RaisedToMin()
    {
        var decision = Autoscaler.Decide(Input(Cpu70 with { Min = 3 }, 1, cpu: 0.1));

        Assert.Equal((3, AutoscaleReason.Minimum), (decision.Desired, decision.Reason));
        Assert.Equal("min 3: 1 -> 3", decision.Message);
    }

    [Fact]
    public void Decide_ExactlyAtTarget_Holds()
    {
        var decision = Autoscaler.Decide(Input(Cpu70, 4, cpu: 0.7));

        Assert.Equal((4, AutoscaleReason.WithinTargets), (decision.Desired, decision.Reason));
        Assert.Equal("hold at 4: cpu 70% = 70% target", decision.Message);
    }

    [Fact]
    public void Decide_JustAfterAScaleOut_SettlesBeforeReadingSamplesAgain()
    {
        var first = Autoscaler.Decide(Input(Cpu70, 3, cpu: 0.91));

        var next = Autoscaler.Decide(Input(Cpu70, 4, T0.AddSeconds(15), cpu: 0.91) with { History = first.History });

        Assert.Equal((4, AutoscaleReason.Settling), (next.Desired, next.Reason));
    }

    [Fact]
    public void Decide_NewReplicasNotReportingYet_CountedIdleSoNoSecondScaleOut()
    {
        var history = AutoscaleHistory.Empty with { LastScaleOut = T0 };
        var now = T0.AddMinutes(2);
        // Three old replicas still at 91%; the fourth has not reported: 2.73 / 4 = 68% is below 70%.
        var decision = Autoscaler.Decide(Input(Cpu70, 4, now) with { Usage = Usage(now, 3, 0.91), History = history });

        Assert.Equal((4, AutoscaleReason.MissingData), (decision.Desired, decision.Reason));
        Assert.Equal("hold at 4: waiting for samples of cpu", decision.Message);
    }

    [Fact]
    public void Decide_BelowTargetsForLessThanTheDelay_Holds()
    {
        var decision = Autoscaler.Decide(Input(Cpu70, 6, cpu: 0.1));

        Assert.Equal((6, AutoscaleReason.Stabilising), (decision.Desired, decision.Reason));
        Assert.Equal("hold at 6: cpu 10% < 70% target, for less than the 5m scale-in delay", decision.Message);
    }

    [Fact]
    public void Decide_BelowTargetsForTheWholeDelay_InToTheHighestNeedOfTheWindow()
    {
        var spec = new AutoscaleSpec { Max = 10, Cpu = 0.5 };
        var history = AutoscaleHistory.Empty;
        AutoscaleDecision? last = null;
        // Every 30 s for 5 minutes at 6 replicas: 40% at the start (needs 5), then 20% (needs 3).
        for (var s = 0; s <= 300; s += 30)
        {
            var now = T0.AddSeconds(s);
            last = Autoscaler.Decide(Input(spec, 6, now, cpu: s == 0 ? 0.4 : 0.2) with { History = history });
            history = last.History;
            if (s < 300)
            {
                Assert.Equal((6, AutoscaleReason.Stabilising), (last.Desired, last.Reason));
            }
        }

        Assert.Equal((5, AutoscaleReason.BelowTargets), (last!.Desired, last.Reason));
        Assert.Equal("cpu 20% < 50% target for 5m: 6 -> 5", last.Message);
        Assert.Equal(T0.AddSeconds(300), last.History.LastScaleIn);

        // Once the high need has left the window (and the change has settled), the count follows the low one.
        for (var s = 330; s <= 600; s += 30)
        {
            var now = T0.AddSeconds(s);
            last = Autoscaler.Decide(Input(spec, 5, now, cpu: 0.24) with { History = history });
            history = last.History;
        }
        Assert.Equal((3, AutoscaleReason.BelowTargets), (last.Desired, last.Reason));
    }

    [Fact]
    public void Decide_IdleReplicasReadOnceAMinute_TheirNewestReadCounts_AndTheyScaleIn()
    {
        // The sampler reads an idle replica every sixth pass: most decisions see no read of it in the last two passes.
        var spec = new AutoscaleSpec { Min = 1, Max = 3, Memory = 0.6, ScaleInDelay = TimeSpan.FromSeconds(20) };
        List<ReplicaUsage> reads = [.. Enumerable.Range(1, 3).Select(r => new ReplicaUsage(T0.AddSeconds(-50), $"web-{r}", 0, 0.05))];
        var history = AutoscaleHistory.Empty;
        AutoscaleDecision? last = null;
        for (var s = 0; s <= 20; s += 10)
        {
            last = Autoscaler.Decide(Input(spec, 3, T0.AddSeconds(s)) with { Usage = reads, History = history });
            history = last.History;
        }

        Assert.Equal((1, AutoscaleReason.BelowTargets), (last!.Desired, last.Reason));
        Assert.Equal("memory 5% < 60% target for 20s: 3 -> 1", last.Message);
    }

    [Fact]
    public void Decide_AHighNeedWithinTheDelay_HoldsScaleIn()
    {
        var spec = new AutoscaleSpec { Max = 10, Cpu = 0.5 };
        var history = AutoscaleHistory.Empty with
        {
            Recommendations = [new(T0.AddMinutes(-6), 2), new(T0.AddMinutes(-2), 6), new(T0.AddMinutes(-1), 2)],
        };

        var decision = Autoscaler.Decide(Input(spec, 6, cpu: 0.1) with { History = history });

        Assert.Equal((6, AutoscaleReason.Stabilising), (decision.Desired, decision.Reason));
        Assert.Equal("hold at 6: cpu 10% < 50% target, but 6 were needed within 5m", decision.Message);
    }

    [Fact]
    public void Decide_NoRouterData_NeverScalesIn()
    {
        var spec = new AutoscaleSpec { Min = 1, Max = 10, RequestsPerSecond = 100 };
        var history = AutoscaleHistory.Empty;
        for (var s = 0; s <= 900; s += 30)
        {
            var decision = Autoscaler.Decide(Input(spec, 4, T0.AddSeconds(s)) with { History = history });
            history = decision.History;

            Assert.Equal((4, AutoscaleReason.MissingData), (decision.Desired, decision.Reason));
            Assert.Equal("hold at 4: waiting for samples of rps", decision.Message);
        }
    }

    [Fact]
    public void Decide_DataGapWithinTheDelay_HoldsScaleInForAWholeDelayAfter()
    {
        var spec = new AutoscaleSpec { Min = 1, Max = 10, RequestsPerSecond = 100 };
        var history = AutoscaleHistory.Empty;
        AutoscaleDecision? last = null;
        for (var s = 0; s <= 480; s += 30)
        {
            var now = T0.AddSeconds(s);
            var gap = s is >= 120 and <= 180;
            last = Autoscaler.Decide(Input(spec, 4, now) with { Traffic = gap ? [] : Traffic(now, 10), History = history });
            history = last.History;
        }

        // Low since 0 s, but the gap's last decision (180 s, in force until 210 s) is recorded as "need 4":
        // in at 510 s, a whole delay after the gap, not at 300 s.
        Assert.Equal((4, AutoscaleReason.Stabilising), (last!.Desired, last.Reason));
        last = Autoscaler.Decide(Input(spec, 4, T0.AddSeconds(510)) with { Traffic = Traffic(T0.AddSeconds(510), 10), History = history });
        Assert.Equal((1, AutoscaleReason.BelowTargets), (last.Desired, last.Reason));
    }

    [Fact]
    public void Decide_GuardHasNoRoom_HoldsAndNamesTheResource()
    {
        var decision = Autoscaler.Decide(Input(Cpu70, 5, cpu: 1.0) with { Capacity = new PlacementCapacity(0, "memory") });

        Assert.Equal((5, 8, "memory"), (decision.Desired, decision.Wanted, decision.LimitedBy));
        Assert.Equal("hold at 5: cpu 100% > 70% target; wanted 8, placed 5: memory", decision.Message);
        Assert.Null(decision.History.LastScaleOut);
    }

    [Fact]
    public void Decide_GuardHasSomeRoom_PlacesWhatFits()
    {
        var decision = Autoscaler.Decide(Input(Cpu70, 5, cpu: 1.0) with { Capacity = new PlacementCapacity(2, "cpu") });

        Assert.Equal((7, 8), (decision.Desired, decision.Wanted));
        Assert.Equal("cpu 100% > 70% target: 5 -> 7; wanted 8, placed 7: cpu", decision.Message);
    }

    [Fact]
    public void Decide_GuardWithRoomEnough_NoLimitReported()
    {
        var decision = Autoscaler.Decide(Input(Cpu70, 3, cpu: 0.91) with { Capacity = new PlacementCapacity(3, "memory") });

        Assert.Equal((4, 4, null), (decision.Desired, decision.Wanted, decision.LimitedBy));
    }
}
