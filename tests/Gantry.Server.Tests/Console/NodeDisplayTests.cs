using Gantry.Console.Cluster;
using Gantry.Model.Api.Cluster;

namespace Gantry.Server.Tests.Console;

/// <summary>The node view's words: reserved against capacity with its share, the leader, and where Swarm places new replicas.</summary>
public sealed class NodeDisplayTests
{
    private static NodeView Node(string state = "ready", string availability = "active", bool leader = false) =>
        new("id1", "node1", "manager", state, availability, "10.99.0.11", leader, new Dictionary<string, string>(), 2, 2L << 30, 0.75, 256L << 20, 3);

    [Fact]
    public void CpusAndMemory_Reserved_AgainstCapacityWithShare()
    {
        Assert.Equal("0.75 of 2 CPUs (38 %)", NodeDisplay.Cpus(Node()));
        Assert.Equal("256 MiB of 2 GiB (13 %)", NodeDisplay.Memory(Node()));
        Assert.Equal("0 of 0 CPUs", NodeDisplay.Cpus(Node() with { Cpus = 0, ReservedCpus = 0 }));
    }

    [Theory]
    [InlineData("ready", "active", true)]
    [InlineData("ready", "drain", false)]
    [InlineData("ready", "pause", false)]
    [InlineData("down", "active", false)]
    public void AcceptsReplicas_ReadyAndActiveOnly(string state, string availability, bool accepts) =>
        Assert.Equal(accepts, NodeDisplay.AcceptsReplicas(Node(state, availability)));

    [Fact]
    public void Role_Leader_Marked()
    {
        Assert.Equal("manager (leader)", NodeDisplay.Role(Node(leader: true)));
        Assert.Equal("manager", NodeDisplay.Role(Node()));
    }
}
