using Gantry.Controllers.Swarm;
using Gantry.Model;
using Gantry.Model.Releases;

namespace Gantry.Controllers.Tests.Swarm;

public sealed class FreshSetsTests
{
    private static ServiceSpec Routed(int replicas, int incarnation = 0, ReleaseStrategy strategy = ReleaseStrategy.BlueGreen) => new()
    {
        Name = "web",
        Replicas = replicas,
        Incarnation = incarnation,
        Release = new ReleasePolicy { Routed = true, Strategy = strategy },
    };

    private static ServiceSpec Worker(int replicas, int incarnation = 0) => new() { Name = "worker", Replicas = replicas, Incarnation = incarnation };

    private static AppSpec App(params ServiceSpec[] services) => new() { Name = "shop", Services = services };

    [Fact]
    public void Apply_RoutedServiceScaledInOnACluster_CountsUpItsSetAndSaysWhy()
    {
        var (spec, notes) = FreshSets.Apply(App(Routed(2), Worker(1)), App(Routed(3, incarnation: 4), Worker(3)), cluster: true);

        Assert.Equal(5, spec.FindService("web")!.Incarnation);
        Assert.Equal(2, spec.FindService("web")!.Replicas);
        // An unrouted service has no requests to lose: Swarm's choice of task does not matter.
        Assert.Equal(0, spec.FindService("worker")!.Incarnation);
        var note = Assert.Single(notes);
        Assert.Equal("web", note.Service);
        Assert.True(note.Scale);
        Assert.Contains("scaled in from 3 to 2 on a cluster", note.Text, StringComparison.Ordinal);
        Assert.Contains("a fresh set of 2", note.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(3, 3)]
    [InlineData(3, 0)]
    public void Apply_ScaleOutSameCountOrToZero_KeepsTheSet(int from, int to)
    {
        var (spec, notes) = FreshSets.Apply(App(Routed(to)), App(Routed(from, incarnation: 2)), cluster: true);

        Assert.Equal(2, spec.Services[0].Incarnation);
        Assert.Empty(notes);
    }

    [Fact]
    public void Apply_OneEngine_KeepsTheRunningSetCountAndNeverCountsUp()
    {
        // A compose file never names the set count: a deploy of what runs must hash as what runs.
        var (spec, notes) = FreshSets.Apply(App(Routed(1)), App(Routed(3, incarnation: 2)), cluster: false);

        Assert.Equal(2, spec.Services[0].Incarnation);
        Assert.Empty(notes);
    }

    [Fact]
    public void Apply_NewAppOrNewService_StartsAtTheCandidatesOwn()
    {
        Assert.Equal(0, FreshSets.Apply(App(Routed(1)), null, cluster: true).Spec.Services[0].Incarnation);
        Assert.Equal(0, FreshSets.Apply(App(Routed(1)), App(Worker(2)), cluster: true).Spec.Services[0].Incarnation);
    }

    [Fact]
    public void Apply_RoutedRollingOnACluster_SaysItIsBlueGreen()
    {
        var (_, notes) = FreshSets.Apply(App(Routed(2, strategy: ReleaseStrategy.Rolling)), null, cluster: true);

        var note = Assert.Single(notes);
        Assert.False(note.Scale);
        Assert.Contains("rolling release is blue-green on a cluster", note.Text, StringComparison.Ordinal);
        Assert.Empty(FreshSets.Apply(App(Routed(2, strategy: ReleaseStrategy.Rolling)), null, cluster: false).Notes);
    }
}
