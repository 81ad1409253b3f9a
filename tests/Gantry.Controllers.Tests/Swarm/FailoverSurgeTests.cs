using Gantry.Controllers.Swarm;

namespace Gantry.Controllers.Tests.Swarm;

/// <summary>Issue 11's failover: a service short of tasks just after a node was lost is raised by what it lost, and lowered
/// back once it runs its own count (docs/decisions/0031).</summary>
public sealed class FailoverSurgeTests
{
    [Fact]
    public void Decide_ShortJustAfterANodeWasLost_RaisedByWhatIsMissing()
    {
        Assert.Equal(new FailoverSurge.Decision(FailoverSurge.Step.Raise, 8, 2), FailoverSurge.Decide(replicas: 6, surge: 0, listed: 4, running: 4, nodeJustLost: true));
    }

    [Fact]
    public void Decide_ShortWithoutALostNode_Nothing()
    {
        // An ordinary restart (Swarm holds the replacement for its restart delay) or a scale-up under way.
        Assert.Equal(FailoverSurge.Step.None, FailoverSurge.Decide(6, 0, 5, 5, nodeJustLost: false).Step);
        Assert.Equal(FailoverSurge.Step.None, FailoverSurge.Decide(6, 0, 6, 4, nodeJustLost: true).Step);
    }

    [Fact]
    public void Decide_SurgedAndItsOwnCountRunning_LoweredBack_OtherwiseKept()
    {
        Assert.Equal(new FailoverSurge.Decision(FailoverSurge.Step.None, 8, 2), FailoverSurge.Decide(8, 2, listed: 6, running: 5, nodeJustLost: true));
        Assert.Equal(new FailoverSurge.Decision(FailoverSurge.Step.Lower, 6, 0), FailoverSurge.Decide(8, 2, listed: 6, running: 6, nodeJustLost: true));
        // After a server restart, with the loss long past: the label alone says what to undo.
        Assert.Equal(new FailoverSurge.Decision(FailoverSurge.Step.Lower, 6, 0), FailoverSurge.Decide(8, 2, listed: 8, running: 8, nodeJustLost: false));
    }

    [Fact]
    public void Labels_SurgeWrittenReadAndRemoved_OthersKept()
    {
        var labels = new Dictionary<string, string> { ["gantry.app"] = "shop" };
        var raised = FailoverSurge.With(labels, 2);
        Assert.Equal("2", raised[FailoverSurge.Label]);
        Assert.Equal(2, FailoverSurge.Of(raised));
        var lowered = FailoverSurge.With(raised, 0);
        Assert.False(lowered.ContainsKey(FailoverSurge.Label));
        Assert.Equal("shop", lowered["gantry.app"]);
        Assert.Equal(0, FailoverSurge.Of(new Dictionary<string, string> { [FailoverSurge.Label] = "x" }));
        Assert.Equal(0, FailoverSurge.Of(null));
    }

    [Fact]
    public void JustLost_DownOrDisconnectedWithinTheWindow()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(1);
        Assert.True(FailoverSurge.JustLost("down", now.AddSeconds(-3), now));
        Assert.True(FailoverSurge.JustLost("disconnected", now.AddSeconds(-59), now));
        Assert.False(FailoverSurge.JustLost("down", now.AddMinutes(-2), now));
        Assert.False(FailoverSurge.JustLost("ready", now, now));
        Assert.False(FailoverSurge.JustLost("unknown", now, now));
    }
}
