using Gantry.Controllers.Resources;
using Gantry.Model;

namespace Gantry.Controllers.Tests.Resources;

public sealed class ClusterGuardTests
{
    private static readonly ResourceDefaults Defaults = new() { MemoryLimitBytes = 256L << 20, NodeReserveBytes = 1L << 30 };

    private static ClusterNode Node(string name, string zone, long memory = 2L << 30, long reserved = 0, string role = "worker", string availability = "active") =>
        new(name, role, "ready", availability, new Dictionary<string, string> { ["zone"] = zone }, memory, 2_000_000_000, reserved, 0);

    private static readonly IReadOnlyList<ClusterNode> Three = [Node("node1", "a", role: "manager"), Node("node2", "a"), Node("node3", "b")];

    private static AppSpec App(int replicas, long memory = 512L << 20, PlacementSpec? placement = null) => new()
    {
        Name = "shop",
        Services = [new ServiceSpec { Name = "web", Replicas = replicas, Placement = placement, Resources = new ResourcesSpec { MemoryLimitBytes = memory } }],
    };

    [Fact]
    public void Check_SixReplicasOnThreeNodes_Allows()
    {
        Assert.True(ClusterGuard.Check(App(6), Three, Defaults).Allowed);
    }

    [Fact]
    public void Check_MoreThanMemoryAllows_RefusesWithEveryNodesNumbers()
    {
        var verdict = ClusterGuard.Check(App(13), Three, Defaults);

        Assert.False(verdict.Allowed);
        Assert.Contains("service web needs 13 x (512 MiB memory) but the nodes can take 12", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("node1 4 (2 GiB of 2 GiB memory free)", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("node3 4 (", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("gantry node add", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MaxReplicasPerNodeAndConstraint_CountedPerNode()
    {
        var placement = new PlacementSpec { Constraints = ["node.labels.zone==a"], MaxReplicasPerNode = 2 };

        Assert.True(ClusterGuard.Check(App(4, placement: placement), Three, Defaults).Allowed);
        var verdict = ClusterGuard.Check(App(5, placement: placement), Three, Defaults);

        Assert.False(verdict.Allowed);
        Assert.Contains("node1 2 (max_replicas_per_node 2)", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("node3 0 (does not match node.labels.zone==a)", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DrainedAndReservedNodes_OfferWhatIsLeft()
    {
        IReadOnlyList<ClusterNode> nodes = [Node("node1", "a", reserved: 1536L << 20), Node("node2", "a", availability: "drain")];

        var verdict = ClusterGuard.Check(App(2), nodes, Defaults);

        Assert.False(verdict.Allowed);
        Assert.Contains("node1 1 (512 MiB of 2 GiB memory free)", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("node2 0 (ready, drain)", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ServicesFitAloneButNotTogether_Refused()
    {
        var app = new AppSpec
        {
            Name = "shop",
            Services =
            [
                new ServiceSpec { Name = "web", Replicas = 4, Resources = new ResourcesSpec { MemoryLimitBytes = 1L << 30 } },
                new ServiceSpec { Name = "worker", Replicas = 4, Resources = new ResourcesSpec { MemoryLimitBytes = 1L << 30 } },
            ],
        };

        var verdict = ClusterGuard.Check(app, [Node("node1", "a"), Node("node2", "b")], Defaults);

        Assert.False(verdict.Allowed);
        Assert.True(verdict.Reason!.Contains("the app needs 8 GiB memory in all, but its nodes have 4 GiB memory free", StringComparison.Ordinal), verdict.Reason);
    }

    [Theory]
    [InlineData("node.role==manager", true)]
    [InlineData("node.role!=manager", false)]
    [InlineData("node.hostname==node1", true)]
    [InlineData("node.labels.zone==b", false)]
    [InlineData("node.labels.disk!=ssd", true)]
    [InlineData("node.platform.os==linux", true)]
    public void Matches_Constraint_AsSwarmReadsIt(string constraint, bool expected)
    {
        Assert.Equal(expected, ClusterGuard.Matches(Three[0], constraint));
    }
}
