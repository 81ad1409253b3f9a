using Gantry.Docker.Swarm;
using Gantry.Server.Cluster;

namespace Gantry.Server.Tests.Cluster;

public sealed class ClusterServiceViewTests
{
    private static readonly SwarmNode Node = new()
    {
        Id = "n1",
        Spec = new NodeSpec { Role = "worker", Availability = "active", Labels = new Dictionary<string, string> { ["zone"] = "a", [ClusterService.EngineLabel] = "tcp://10.0.0.2:2375" } },
        Description = new NodeDescription { Hostname = "node2", Resources = new NodeResources { NanoCPUs = 2_000_000_000, MemoryBytes = 8L << 30 } },
        Status = new NodeStatus { State = "ready", Addr = "10.0.0.2" },
    };

    private static SwarmTask Replica(string state, long nanoCpus, long memory) => new()
    {
        NodeId = "n1",
        DesiredState = "running",
        Status = new SwarmTaskStatus { State = state },
        Spec = new TaskSpec { Resources = new TaskResources { Reservations = new NodeResources { NanoCPUs = nanoCpus, MemoryBytes = memory } } },
    };

    [Fact]
    public void View_GantryTasks_SumsReservationsAndCountsRunning()
    {
        var view = ClusterService.View(Node, [Replica("running", 500_000_000, 256L << 20), Replica("starting", 250_000_000, 128L << 20)]);

        Assert.Equal(0.75, view.ReservedCpus, 3);
        Assert.Equal(384L << 20, view.ReservedMemoryBytes);
        Assert.Equal(1, view.Replicas);
        Assert.Equal(2.0, view.Cpus);
        Assert.Equal(8L << 30, view.MemoryBytes);
    }

    [Fact]
    public void View_EngineLabel_ShownAsEngineNotAsALabel()
    {
        var view = ClusterService.View(Node, []);

        Assert.Equal("tcp://10.0.0.2:2375", view.Engine);
        Assert.Equal(["zone"], view.Labels.Keys);
        Assert.Equal(0, view.Replicas);
    }
}
