using Gantry.Router.Clusters;
using Gantry.Router.Contracts.Routes;
using Gantry.Router.LoadBalancing;

namespace Gantry.Router.Tests.LoadBalancing;

public class LoadBalancerTests
{
    private static DestinationState[] Destinations(params int[] weights) =>
        [.. weights.Select((w, i) => new DestinationState("c", new DestinationSpec { Id = $"d{i}", Address = $"http://127.0.0.1:{1000 + i}", Weight = w }))];

    [Fact]
    public void SmoothWeighted_WeightsFiveOneOne_InterleavesInProportion()
    {
        var all = Destinations(5, 1, 1);
        var balancer = new SmoothWeightedLoadBalancer();
        var picks = Enumerable.Range(0, 7).Select(_ => balancer.Pick(all, all.Select(d => d.Spec.Weight).ToArray()).Id).ToList();

        // nginx's documented sequence for weights 5,1,1: a a b a c a a.
        Assert.Equal(["d0", "d0", "d1", "d0", "d2", "d0", "d0"], picks);
    }

    [Fact]
    public void SmoothWeighted_NinetyTen_SplitsExactly()
    {
        var all = Destinations(90, 10);
        var balancer = new SmoothWeightedLoadBalancer();
        var counts = Enumerable.Range(0, 1000).Select(_ => balancer.Pick(all, all.Select(d => d.Spec.Weight).ToArray()).Id).GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(900, counts["d0"]);
        Assert.Equal(100, counts["d1"]);
    }

    [Fact]
    public void RoundRobin_ThreeDestinations_CyclesEvenly()
    {
        var all = Destinations(1, 1, 1);
        var balancer = new RoundRobinLoadBalancer();
        var counts = Enumerable.Range(0, 300).Select(_ => balancer.Pick(all, all.Select(d => d.Spec.Weight).ToArray()).Id).GroupBy(x => x).Select(g => g.Count());
        Assert.All(counts, c => Assert.Equal(100, c));
    }

    [Fact]
    public void PowerOfTwo_OneBusyDestination_PrefersIdleOnes()
    {
        var all = Destinations(1, 1, 1);
        for (var i = 0; i < 50; i++)
        {
            all[0].EnterRequest();
        }

        var balancer = new PowerOfTwoChoicesLoadBalancer();
        var busyPicks = Enumerable.Range(0, 1000).Count(_ => balancer.Pick(all, new[] { 1, 1, 1 }) == all[0]);
        Assert.Equal(0, busyPicks);
    }

    [Fact]
    public void ClusterPick_WeightZero_NeverChosen()
    {
        var all = Destinations(0, 100);
        var spec = new ClusterSpec { Id = "c", Destinations = [.. all.Select(d => d.Spec)] };
        var cluster = new ClusterState(spec, all, new PowerOfTwoChoicesLoadBalancer(), TimeSpan.FromSeconds(1), 1);
        Assert.All(Enumerable.Range(0, 200), _ => Assert.Equal("d1", cluster.Pick(0)!.Id));
    }

    [Fact]
    public void ClusterPick_EveryDestinationPassivelyEjected_StillPicksOne_ButNeverTheExcludedOrZeroWeight()
    {
        var passive = new PassiveHealthSpec { ConsecutiveFailures = 1 };
        var all = Destinations(100, 100, 0);
        var spec = new ClusterSpec { Id = "c", Destinations = [.. all.Select(d => d.Spec)] };
        var cluster = new ClusterState(spec, all, new RoundRobinLoadBalancer(), TimeSpan.FromSeconds(1), 1);
        Assert.True(all[0].ReportTraffic(true, passive, now: 100, reactivationTicks: 1000));

        // One ejected, one fine: only the fine one.
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Same(all[1], cluster.Pick(200)));

        // Both ejected: an overload must not become a total outage, so both take traffic again.
        Assert.True(all[1].ReportTraffic(true, passive, now: 100, reactivationTicks: 1000));
        var picked = Enumerable.Range(0, 20).Select(_ => cluster.Pick(200)).ToList();
        Assert.All(picked, d => Assert.NotNull(d));
        Assert.Equal(new[] { "d0", "d1" }, picked.Select(d => d!.Id).Distinct().Order(StringComparer.Ordinal));
        Assert.Same(all[1], cluster.Pick(200, exclude: all[0]));
        Assert.Null(cluster.Pick(200, exclude: all[0], exclude2: all[1]));
    }

    [Fact]
    public void ClusterPick_ActiveHealthUnknown_NoDestinationUntilHealthy()
    {
        var health = new HealthCheckSpec();
        var all = Destinations(100);
        var spec = new ClusterSpec { Id = "c", Health = health, Destinations = [.. all.Select(d => d.Spec)] };
        var cluster = new ClusterState(spec, all, new RoundRobinLoadBalancer(), TimeSpan.FromSeconds(1), 1);
        Assert.Null(cluster.Pick(0));
        all[0].ReportProbe(passed: true, health);
        Assert.Same(all[0], cluster.Pick(0));
    }

    [Fact]
    public void ReportTraffic_ConsecutiveFailures_EjectsUntilReactivation()
    {
        var passive = new PassiveHealthSpec { ConsecutiveFailures = 2 };
        var d = Destinations(100)[0];
        Assert.False(d.ReportTraffic(true, passive, now: 100, reactivationTicks: 50));
        Assert.True(d.ReportTraffic(true, passive, now: 100, reactivationTicks: 50));
        Assert.False(d.IsAvailable(false, 120));
        Assert.True(d.IsAvailable(false, 151));
    }
}
