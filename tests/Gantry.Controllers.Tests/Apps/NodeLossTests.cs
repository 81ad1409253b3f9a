using Gantry.Controllers.Apps;
using Gantry.Model.Status;

namespace Gantry.Controllers.Tests.Apps;

/// <summary>Issue 11's failover: the events name the lost node and its replicas, and where the service runs again.</summary>
public sealed class NodeLossTests
{
    private static ReplicaStatus Replica(string name, string id, string node, string state = "running") =>
        new(name, "web", 1) { ContainerId = id, Node = node, State = state };

    private static AppStatus Status(int desired, params ReplicaStatus[] replicas) =>
        new() { Services = [new ServiceStatus("web") { Desired = desired, Replicas = replicas }] };

    [Fact]
    public void Vanished_RunningReplicasGoneByTaskId_NotRenamedOnes()
    {
        var before = Status(3, Replica("web-1", "t1", "node1"), Replica("web-2", "t2", "node2"), Replica("web-3", "t3", "node3"));
        // Swarm's slots are renumbered after a loss: t2 is now called web-3's name, which says nothing.
        var after = Status(3, Replica("web-1", "t1", "node1"), Replica("web-2", "t3", "node3"));

        Assert.Equal(["web-2"], NodeLoss.Vanished(before, after).Select(r => r.Name));
        Assert.Empty(NodeLoss.Vanished(null, after));
    }

    [Fact]
    public void Group_ByServiceAndNode_OnlyNodesDownOrDrained()
    {
        ReplicaStatus[] vanished = [Replica("web-3", "t3", "node3"), Replica("web-6", "t6", "node3"), Replica("web-2", "t2", "node2"), Replica("web-4", "t4", "node4")];
        var states = new Dictionary<string, string> { ["node2"] = "active", ["node3"] = "down", ["node4"] = "drain" };

        var lost = NodeLoss.Group(vanished, n => states.GetValueOrDefault(n));

        Assert.Equal(2, lost.Count);
        Assert.Equal("web: 2 replica(s) lost with node3 (down): web-3, web-6; Swarm runs them again on the other nodes", lost[0].Message);
        Assert.Equal("web: 1 replica(s) moved off node4 (drained): web-4; Swarm runs them on the other nodes", lost[1].Message);
    }

    [Fact]
    public void Restored_AwaitedServiceAtItsDesiredCount_SaysWhere()
    {
        var awaiting = new HashSet<string>(["web"], StringComparer.Ordinal);
        var short1 = Status(3, Replica("web-1", "t1", "node1"), Replica("web-2", "t2", "node2"), Replica("web-3", "t7", "node1", "created"));
        var full = Status(3, Replica("web-1", "t1", "node1"), Replica("web-2", "t2", "node2"), Replica("web-3", "t7", "node1"));

        Assert.Empty(NodeLoss.Restored(short1, awaiting));
        var (service, message) = Assert.Single(NodeLoss.Restored(full, awaiting));
        Assert.Equal(("web", "web: 3 of 3 replicas running again: node1 2, node2 1"), (service, message));
        Assert.Empty(NodeLoss.Restored(full, new HashSet<string>(StringComparer.Ordinal)));
    }
}
