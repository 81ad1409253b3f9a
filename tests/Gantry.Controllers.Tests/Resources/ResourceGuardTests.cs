using Gantry.Controllers.Engine;
using Gantry.Controllers.Resources;
using Gantry.Model;

namespace Gantry.Controllers.Tests.Resources;

public class ResourceGuardTests
{
    private static readonly NodeCapacity Node = new("node1", 4L << 30, 2);
    private static readonly ResourceDefaults Defaults = new() { MemoryLimitBytes = 256L << 20, NodeReserveBytes = 1L << 30 };

    private static AppSpec App(string name, int replicas, long memory) => new()
    {
        Name = name,
        Services = [new ServiceSpec { Name = "web", Replicas = replicas, Resources = new ResourcesSpec { MemoryLimitBytes = memory } }],
    };

    [Fact]
    public void Check_WithinCapacity_Allows()
    {
        var verdict = ResourceGuard.Check(App("a", 4, 512L << 20), [App("b", 2, 256L << 20)], Node, Defaults);

        Assert.True(verdict.Allowed);
        Assert.Equal(3L << 30, verdict.AvailableBytes);
    }

    [Fact]
    public void Check_Overcommit_RefusesWithTheNumbers()
    {
        var verdict = ResourceGuard.Check(App("a", 5, 512L << 20), [App("b", 2, 512L << 20)], Node, Defaults);

        Assert.False(verdict.Allowed);
        Assert.Contains("3.5 GiB", verdict.Reason);
        Assert.Contains("this app 2.5 GiB", verdict.Reason);
        Assert.Contains("web 5 x 512 MiB", verdict.Reason);
        Assert.Contains("other apps 1 GiB", verdict.Reason);
        Assert.Contains("can give 3 GiB", verdict.Reason);
        Assert.Contains("4 GiB total minus 1 GiB reserve", verdict.Reason);
    }

    [Fact]
    public void Check_RedeployOfSameApp_ReplacesItsOwnPreviousUsage()
    {
        var verdict = ResourceGuard.Check(App("a", 5, 512L << 20), [App("a", 5, 512L << 20)], Node, Defaults);

        Assert.True(verdict.Allowed);
        Assert.Equal(0, verdict.OtherAppsBytes);
    }

    [Fact]
    public void Check_ServiceWithoutLimit_CountsTheDefault()
    {
        var app = new AppSpec { Name = "a", Services = [new ServiceSpec { Name = "web", Replicas = 3 }] };

        Assert.Equal(768L << 20, ResourceGuard.MemoryOf(app, Defaults));
    }

    [Fact]
    public void RoomFor_CountsWhatTheCheckWouldStillAllow()
    {
        // 3 GiB available; a: 2 x 512 MiB, b: 2 x 256 MiB; 1.5 GiB free = 3 more of a's 512 MiB replicas.
        var app = App("a", 2, 512L << 20);
        var others = new[] { app, App("b", 2, 256L << 20) };

        var room = ResourceGuard.RoomFor(app, "web", others, Node, Defaults);

        Assert.Equal(3, room);
        Assert.True(ResourceGuard.Check(App("a", 2 + room, 512L << 20), others, Node, Defaults).Allowed);
        Assert.False(ResourceGuard.Check(App("a", 3 + room, 512L << 20), others, Node, Defaults).Allowed);
    }

    [Fact]
    public void RoomFor_Overcommitted_IsZero()
    {
        Assert.Equal(0, ResourceGuard.RoomFor(App("a", 8, 512L << 20), "web", [], Node, Defaults));
    }
}
