using Gantry.Server.NodeRouters;

namespace Gantry.Server.Tests.NodeRouters;

public sealed class NodeRouterPlanTests
{
    private static ObservedRouter Router(string id, string state, string? hash = "h1", long created = 1, params string[] networks) =>
        new(id, state, hash, networks.ToHashSet(StringComparer.Ordinal), created);

    [Fact]
    public void Diff_NothingRuns_CreatesAndConnectsEveryNetwork()
    {
        var actions = NodeRouterPlan.Diff("h1", [], ["a_default", "b_default"]);

        Assert.True(actions.Create);
        Assert.Empty(actions.Remove);
        Assert.Equal(["a_default", "b_default"], actions.Connect);
    }

    [Fact]
    public void Diff_RunningOnEveryNetwork_DoesNothing()
    {
        var actions = NodeRouterPlan.Diff("h1", [Router("c1", "running", networks: ["bridge", "a_default"])], ["a_default"]);

        Assert.True(actions.None);
        Assert.Equal("c1", actions.Keep);
    }

    [Fact]
    public void Diff_NewAppNetwork_ConnectsOnlyIt()
    {
        var actions = NodeRouterPlan.Diff("h1", [Router("c1", "running", networks: ["a_default"])], ["a_default", "b_default"]);

        Assert.Equal("c1", actions.Keep);
        Assert.Equal(["b_default"], actions.Connect);
        Assert.Empty(actions.Remove);
    }

    [Fact]
    public void Diff_DeadOrStopped_RemovesAndCreates()
    {
        var actions = NodeRouterPlan.Diff("h1", [Router("c1", "exited"), Router("c2", "dead")], ["a_default"]);

        Assert.True(actions.Create);
        Assert.Equal(["c1", "c2"], actions.Remove);
        Assert.Equal(["a_default"], actions.Connect);
    }

    [Fact]
    public void Diff_OtherSpec_ReplacesIt()
    {
        var actions = NodeRouterPlan.Diff("h2", [Router("c1", "running", hash: "h1")], []);

        Assert.True(actions.Create);
        Assert.Equal(["c1"], actions.Remove);
    }

    [Fact]
    public void Diff_TwoRunning_KeepsTheNewestOnly()
    {
        var actions = NodeRouterPlan.Diff("h1", [Router("old", "running", created: 1), Router("new", "running", created: 2)], []);

        Assert.Equal("new", actions.Keep);
        Assert.Equal(["old"], actions.Remove);
    }
}
