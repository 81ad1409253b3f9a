using Gantry.Server.Releases;

namespace Gantry.Server.Tests.Releases;

public sealed class RouterFleetTests
{
    private static readonly KeyValuePair<string, int>[] Idle = [];

    private readonly ManualTimeProvider _time = new();

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);

    private static KeyValuePair<string, int>[] Busy(string replica, int count) => [new(replica, count)];

    [Fact]
    public void IsDrained_NoTablePublished_False()
    {
        var fleet = new RouterFleet(_time);
        _time.Advance(RouterFleet.StartupGrace * 2);

        Assert.False(fleet.IsDrained("shop-web-1-old"));
    }

    [Fact]
    public void IsDrained_NoRoutersWithinStartupGrace_FalseThenTrueAfterGrace()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set("new"));

        _time.Advance(RouterFleet.StartupGrace - TimeSpan.FromMilliseconds(1));
        Assert.False(fleet.IsDrained("old"));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(fleet.IsDrained("old"));
    }

    [Fact]
    public void IsRoutable_NoRouters_TrueOnceTheStartupGracePassed()
    {
        var fleet = new RouterFleet(_time);
        Assert.False(fleet.IsRoutable("anything"));

        _time.Advance(RouterFleet.StartupGrace);
        Assert.True(fleet.IsRoutable("anything"));
    }

    [Fact]
    public void IsDrained_ReplicaStillRouted_FalseEvenWithEveryRouterIdleAndCurrent()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set("a"));
        fleet.Report("r1", 1, Idle);
        _time.Advance(RouterFleet.StartupGrace * 2);
        fleet.Report("r1", 5, Idle);

        Assert.False(fleet.IsDrained("a"));
    }

    [Fact]
    public void IsDrained_RouterStillOnOlderTable_FalseUntilItReportsUnroutingVersion()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set("a", "b"));
        fleet.TablePublished(2, Set("a"));

        fleet.Report("r1", 1, Idle);
        Assert.False(fleet.IsDrained("b"));

        fleet.Report("r1", 2, Idle);
        Assert.True(fleet.IsDrained("b"));
    }

    [Fact]
    public void IsDrained_RouterOnNewTableWithRequestsInFlight_FalseUntilTheyFinish()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set("a", "b"));
        fleet.TablePublished(2, Set("a"));

        fleet.Report("r1", 2, Busy("b", 3));
        Assert.False(fleet.IsDrained("b"));

        fleet.Report("r1", 2, Busy("b", 0));
        Assert.True(fleet.IsDrained("b"));
    }

    [Fact]
    public void IsDrained_InFlightOnOtherReplicasOnly_True()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set("a", "b"));
        fleet.TablePublished(2, Set("a"));

        fleet.Report("r1", 2, Busy("a", 7));

        Assert.True(fleet.IsDrained("b"));
    }

    [Fact]
    public void IsDrained_OneOfTwoRoutersBehind_False()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set("a", "b"));
        fleet.TablePublished(2, Set("a"));

        fleet.Report("r1", 2, Idle);
        fleet.Report("r2", 1, Idle);
        Assert.False(fleet.IsDrained("b"));

        fleet.Report("r2", 3, Idle);
        Assert.True(fleet.IsDrained("b"));
    }

    [Fact]
    public void IsDrained_LaggingRouterSilentLongerThanSilence_StopsCounting()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set("a", "b"));
        fleet.TablePublished(2, Set("a"));
        fleet.Report("r1", 2, Idle);
        fleet.Report("stale", 1, Busy("b", 1));

        _time.Advance(RouterFleet.Silence);
        fleet.Report("r1", 2, Idle);
        Assert.False(fleet.IsDrained("b")); // exactly at Silence the stale router still counts

        _time.Advance(TimeSpan.FromMilliseconds(1));
        fleet.Report("r1", 2, Idle);
        Assert.True(fleet.IsDrained("b"));
    }

    [Fact]
    public void IsDrained_IdleRouterReportingOnlyItsKeepalive_KeepsCountingBetweenKeepalives()
    {
        // An idle router posts only a keepalive (10 s, 11 s at most with jitter); one lost keepalive must not drop it.
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set("a", "b"));
        fleet.TablePublished(2, Set("a"));
        fleet.Report("lagging", 1, Idle);
        _time.Advance(RouterFleet.StartupGrace);

        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(11));
            fleet.Report("lagging", 1, Idle);
            Assert.False(fleet.IsDrained("b"));
        }

        _time.Advance(TimeSpan.FromSeconds(22));
        Assert.False(fleet.IsDrained("b"));
    }

    [Fact]
    public void Forget_RouterLeaving_StopsCountingAtOnce()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set("a", "b"));
        fleet.TablePublished(2, Set("a", "c"), Set("a", "c"));
        fleet.Report("current", 2, Idle);
        fleet.Report("leaving", 1, Busy("b", 1), ["c"]);
        Assert.False(fleet.IsDrained("b"));
        Assert.False(fleet.IsRoutable("c"));

        fleet.Forget("leaving");

        Assert.True(fleet.IsDrained("b"));
        Assert.True(fleet.IsRoutable("c"));
        Assert.Equal(["current"], fleet.Routers().Select(r => r.Router));
    }

    [Fact]
    public void IsDrained_EveryRouterSilentAfterGrace_True()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set("a", "b"));
        fleet.TablePublished(2, Set("a"));
        fleet.Report("r1", 1, Busy("b", 4));

        _time.Advance(RouterFleet.Silence + TimeSpan.FromSeconds(1));

        Assert.True(fleet.IsDrained("b"));
    }

    [Fact]
    public void IsDrained_ReplicaUnroutedBeforeServerStarted_WaitsForFirstPublishedVersion()
    {
        // A router restarted from its saved table (version 9) may still route to a replica this server never routed.
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(10, Set("a"));

        fleet.Report("r1", 9, Idle);
        Assert.False(fleet.IsDrained("from-before"));

        fleet.Report("r1", 10, Idle);
        Assert.True(fleet.IsDrained("from-before"));
    }

    [Fact]
    public void IsRoutable_ReplicaNotInAnyPublishedTable_False()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set("a"));
        fleet.Report("r1", 1, Idle);

        Assert.False(fleet.IsRoutable("b"));
    }

    [Fact]
    public void IsRoutable_PresentAtWeightZero_TrueOnceEveryRouterHasItsTable()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set("a"), Set("a"));
        fleet.TablePublished(2, Set("a"), Set("a", "staged"));
        fleet.Report("r1", 2, Idle);
        fleet.Report("r2", 1, Idle);

        Assert.False(fleet.IsRoutable("staged"));
        Assert.True(fleet.IsRoutable("a"));

        fleet.Report("r2", 2, Idle);
        Assert.True(fleet.IsRoutable("staged"));
    }

    [Fact]
    public void IsRoutable_StillPresentInLaterTable_KeepsFirstVersion()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(3, Set(), Set("staged"));
        fleet.TablePublished(4, Set("staged"), Set("staged"));
        fleet.Report("r1", 3, Idle);

        Assert.True(fleet.IsRoutable("staged"));
    }

    [Fact]
    public void IsRoutable_ListedUnreadyByARouter_False()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set(), Set("staged"));
        fleet.Report("r1", 1, Idle);
        fleet.Report("r2", 1, Idle, ["staged"]);

        Assert.False(fleet.IsRoutable("staged"));

        fleet.Report("r2", 1, Idle, []);
        Assert.True(fleet.IsRoutable("staged"));
    }

    [Fact]
    public void IsRoutable_LeftTheTableThenCameBack_CountsFromItsReturn()
    {
        var fleet = new RouterFleet(_time);
        fleet.TablePublished(1, Set(), Set("x"));
        fleet.TablePublished(2, Set(), Set());
        fleet.Report("r1", 2, Idle);
        Assert.False(fleet.IsRoutable("x"));

        fleet.TablePublished(3, Set(), Set("x"));
        Assert.False(fleet.IsRoutable("x"));

        fleet.Report("r1", 3, Idle);
        Assert.True(fleet.IsRoutable("x"));
    }

    [Fact]
    public void Routers_SilentRouter_Omitted()
    {
        var fleet = new RouterFleet(_time);
        fleet.Report("old", 1, Idle);
        _time.Advance(RouterFleet.Silence + TimeSpan.FromSeconds(1));
        fleet.Report("new", 2, Idle);

        var routers = fleet.Routers();

        var single = Assert.Single(routers);
        Assert.Equal("new", single.Router);
        Assert.Equal(2, single.TableVersion);
    }

    [Fact]
    public void InFlight_NoRouter_NullNotZero()
    {
        var fleet = new RouterFleet(_time);

        Assert.Null(fleet.InFlight());
    }

    [Fact]
    public void InFlight_TwoRoutersAndASilentOne_SummedOverTheLiveOnes()
    {
        var fleet = new RouterFleet(_time);
        fleet.Report("gone", 1, Busy("web-1", 7));
        _time.Advance(RouterFleet.Silence + TimeSpan.FromSeconds(1));
        fleet.Report("a", 1, [new("web-1", 2), new("web-2", 1)]);
        fleet.Report("b", 1, Busy("web-1", 3));

        var inFlight = fleet.InFlight();

        Assert.Equal(new Dictionary<string, int> { ["web-1"] = 5, ["web-2"] = 1 }, inFlight);
    }
}
