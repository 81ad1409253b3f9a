using System.Text.Json.Nodes;
using Gantry.Docker.Swarm;

namespace Gantry.Docker.Tests.Swarm;

public sealed class SwarmSpecsTests
{
    [Fact]
    public void WithDispatcherHeartbeat_KeepsEveryOtherField()
    {
        var spec = JsonNode.Parse("""{"Name":"default","Raft":{"SnapshotInterval":10000},"Dispatcher":{"HeartbeatPeriod":5000000000},"CAConfig":{"NodeCertExpiry":7776000000000000}}""")!.AsObject();

        var tuned = SwarmSpecs.WithDispatcherHeartbeat(spec, TimeSpan.FromSeconds(1));

        Assert.Equal(1_000_000_000, tuned["Dispatcher"]!["HeartbeatPeriod"]!.GetValue<long>());
        Assert.Equal(10000, tuned["Raft"]!["SnapshotInterval"]!.GetValue<int>());
        Assert.Equal(7776000000000000, tuned["CAConfig"]!["NodeCertExpiry"]!.GetValue<long>());
        Assert.Equal(5_000_000_000, spec["Dispatcher"]!["HeartbeatPeriod"]!.GetValue<long>());
    }

    [Fact]
    public void WithDispatcherHeartbeat_NoDispatcher_AddsIt()
    {
        var tuned = SwarmSpecs.WithDispatcherHeartbeat([], TimeSpan.FromMilliseconds(500));

        Assert.Equal(TimeSpan.FromMilliseconds(500), new SwarmInspectResponse { Spec = tuned }.DispatcherHeartbeat);
    }
}
