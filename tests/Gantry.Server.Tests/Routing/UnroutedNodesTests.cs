using Gantry.Compose.XGantry;
using Gantry.Model;
using Gantry.Model.Status;
using Gantry.Router.Contracts.Routes;
using Gantry.Server.Alerts;
using Gantry.Server.Cluster;
using Gantry.Server.Routing;

namespace Gantry.Server.Tests.Routing;

/// <summary>Issue 11's failover (docs/decisions/0031): a lost or drained node's replicas leave the route table at once.</summary>
public sealed class UnroutedNodesTests
{
    private static AppSpec App() => new()
    {
        Name = "shop",
        Services =
        [
            GantryExtension.Resolve(new ServiceSpec
            {
                Name = "web",
                Extensions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-gantry"] = """{"host":"shop.example.com","port":8080}""" },
            }, []),
        ],
    };

    private static ReplicaStatus Replica(int slot, string node, string traffic = TrafficRole.Live) =>
        new($"shop-web-{slot}-h", "web", slot) { SpecHash = "h", State = "running", Health = "healthy", IpAddress = $"10.0.1.{slot}", Traffic = traffic, Node = node };

    private static AppStatus Status() => new()
    {
        Services = [new ServiceStatus("web") { Replicas = [Replica(1, "node1"), Replica(2, "node2"), Replica(3, "node3"), Replica(4, "node3", TrafficRole.Warm)] }],
    };

    private static RouteTableSpec Build(params string[] unrouted) =>
        RouteTableBuilder.Build([(App(), Status(), DateTimeOffset.MinValue)], new HashSet<string>(unrouted, StringComparer.Ordinal), out _);

    [Fact]
    public void Build_NodeUnrouted_ItsReplicasLeaveTheTableAtAnyWeight()
    {
        var all = Assert.Single(Build().Clusters).Destinations;
        Assert.Equal(["shop-web-1-h", "shop-web-2-h", "shop-web-3-h", "shop-web-4-h"], all.Select(d => d.Id));
        Assert.Equal(["node1", "node2", "node3", "node3"], all.Select(d => d.Labels["node"]));

        var without = Assert.Single(Build("node3").Clusters).Destinations;
        Assert.Equal(["shop-web-1-h", "shop-web-2-h"], without.Select(d => d.Id));
    }

    [Fact]
    public void Build_SingleEngineReplicas_NoNodeLabelAndNeverLeftOut()
    {
        var status = new AppStatus { Services = [new ServiceStatus("web") { Replicas = [Replica(1, "node1") with { Node = null }] }] };
        var table = RouteTableBuilder.Build([(App(), status, DateTimeOffset.MinValue)], new HashSet<string>(["node1"], StringComparer.Ordinal), out _);
        var destination = Assert.Single(Assert.Single(table.Clusters).Destinations);
        Assert.False(destination.Labels.ContainsKey("node"));
    }

    [Fact]
    public void Compute_DownDisconnectedDrainedAndDraining_LeftOut_UnknownAndPausedKept()
    {
        NodeCondition[] nodes =
        [
            new("node1", "manager", "ready", "active", null),
            new("node2", "worker", "down", "active", "heartbeat failure"),
            new("node3", "worker", "disconnected", "active", null),
            new("node4", "worker", "ready", "drain", null),
            new("node5", "worker", "unknown", "active", null),
            new("node6", "worker", "ready", "pause", null),
        ];

        var unrouted = UnroutedNodes.Compute(nodes, ["node7"]);

        Assert.Equal(["node2", "node3", "node4", "node7"], unrouted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compute_NodeTheServerFoundGone_LeftOutWhileTheManagerStillSaysReady()
    {
        NodeCondition[] nodes = [new("node1", "manager", "ready", "active", null), new("node3", "worker", "ready", "active", null)];

        Assert.Equal(["node3"], UnroutedNodes.Compute(nodes, [], ["node3"]));
        Assert.Empty(UnroutedNodes.Compute(nodes, [], []));
    }

    [Fact]
    public void ReplicasOn_TableWithNodeLabels_TheNodesReplicasAtAnyWeight()
    {
        Assert.Equal(["shop-web-3-h", "shop-web-4-h"], NodeDrain.ReplicasOn(Build(), "node3"));
        Assert.Empty(NodeDrain.ReplicasOn(Build("node3"), "node3"));
    }
}
