using System.Net;
using System.Net.Sockets;
using Gantry.Server.Alerts;
using Gantry.Server.Cluster;

namespace Gantry.Server.Tests.Cluster;

public sealed class NodeLivenessTests
{
    private static readonly NodeCondition[] Nodes =
    [
        new("node1", "manager", "ready", "active", null, "10.99.0.11"),
        new("node2", "worker", "ready", "active", null, "10.99.0.12"),
        new("node3", "worker", "ready", "active", null, null),
    ];

    [Theory]
    [InlineData(SocketError.Success, true)]
    [InlineData(SocketError.ConnectionRefused, true)]
    [InlineData(SocketError.ConnectionReset, true)]
    [InlineData(SocketError.TimedOut, false)]
    [InlineData(SocketError.HostUnreachable, false)]
    [InlineData(SocketError.NetworkUnreachable, false)]
    [InlineData(SocketError.HostDown, false)]
    public void Answered_RefusedIsAliveSilenceAndUnreachableAreNot(SocketError error, bool answered)
    {
        Assert.Equal(answered, NodeLiveness.Answered(error));
    }

    [Fact]
    public void NodeAt_TheRoutersSourceAddress_ItsNodeByTheManagersAddress()
    {
        Assert.Equal("node2", NodeLiveness.NodeAt(Nodes, IPAddress.Parse("10.99.0.12"))?.Name);
        Assert.Equal("node1", NodeLiveness.NodeAt(Nodes, IPAddress.Parse("10.99.0.11").MapToIPv6())?.Name);
    }

    [Fact]
    public void NodeAt_LoopbackOrAnAddressNoNodeHas_Null()
    {
        Assert.Null(NodeLiveness.NodeAt(Nodes, IPAddress.Loopback));
        Assert.Null(NodeLiveness.NodeAt(Nodes, IPAddress.Parse("10.99.0.13")));
        Assert.Null(NodeLiveness.NodeAt(Nodes, null));
    }
}
