using Gantry.Controllers.Planning;
using Gantry.Controllers.Resources;
using Gantry.Model;
using static Gantry.Controllers.Tests.Planning.PlannerFixtures;

namespace Gantry.Controllers.Tests.Planning;

public class ContainerPlanBuilderTests
{
    [Fact]
    public void Build_NoLimitsInFile_AppliesTheDefaults()
    {
        var app = App(Service("web"));
        var defaults = new ResourceDefaults { MemoryLimitBytes = 128L << 20, NanoCpus = 500_000_000 };

        var plan = ContainerPlanBuilder.Build(app, app.Services[0], 1, "sha256:x", "0123456789abcdef", 3, defaults);

        Assert.Equal(128L << 20, plan.MemoryLimitBytes);
        Assert.Equal(500_000_000, plan.NanoCpus);
    }

    [Fact]
    public void Build_LimitsInFile_WinOverDefaults()
    {
        var app = App(Service("web") with { Resources = new ResourcesSpec { MemoryLimitBytes = 64L << 20, NanoCpus = 250_000_000 } });

        var plan = ContainerPlanBuilder.Build(app, app.Services[0], 1, "sha256:x", "0123456789abcdef", 3, new ResourceDefaults());

        Assert.Equal(64L << 20, plan.MemoryLimitBytes);
        Assert.Equal(250_000_000, plan.NanoCpus);
    }

    [Fact]
    public void Build_Always_LabelsOwnershipAndNamesDeterministically()
    {
        var app = App(Service("web"));

        var plan = ContainerPlanBuilder.Build(app, app.Services[0], 2, "sha256:x", "0123456789abcdef", 7, new ResourceDefaults());

        Assert.Equal("shop-web-2-01234567", plan.Name);
        Assert.Equal("shop", plan.Labels[GantryLabels.App]);
        Assert.Equal("web", plan.Labels[GantryLabels.Service]);
        Assert.Equal("2", plan.Labels[GantryLabels.Slot]);
        Assert.Equal("7", plan.Labels[GantryLabels.Release]);
        Assert.Equal("0123456789abcdef", plan.Labels[GantryLabels.SpecHash]);
    }

    [Fact]
    public void Build_ServiceOnNetwork_AnswersToItsNameAndAliases()
    {
        var app = App(Service("db") with { Networks = [new ServiceNetworkSpec("default") { Aliases = ["database"] }] });

        var plan = ContainerPlanBuilder.Build(app, app.Services[0], 1, "sha256:x", "0123456789abcdef", 1, new ResourceDefaults());

        var (network, aliases) = Assert.Single(plan.Networks);
        Assert.Equal("shop_default", network);
        Assert.Equal(["db", "database"], aliases);
    }

    [Fact]
    public void Build_PublishedPortOnSecondSlot_IsNotPublishedTwice()
    {
        var app = App(Service("web", 2) with { Ports = [new PortSpec(80, "8080"), new PortSpec(9000)] });

        var first = ContainerPlanBuilder.Build(app, app.Services[0], 1, "sha256:x", "0123456789abcdef", 1, new ResourceDefaults());
        var second = ContainerPlanBuilder.Build(app, app.Services[0], 2, "sha256:x", "0123456789abcdef", 1, new ResourceDefaults());

        Assert.Equal(2, first.Ports.Count);
        Assert.Equal(9000, Assert.Single(second.Ports).Target);
    }

    [Fact]
    public void Build_NamedVolume_MapsToTheAppScopedEngineName()
    {
        var app = App(Service("db") with { Volumes = [new MountSpec(MountType.Volume, "data", "/var/lib/db")] }) with { Volumes = [new VolumeSpec("data")] };

        var plan = ContainerPlanBuilder.Build(app, app.Services[0], 1, "sha256:x", "0123456789abcdef", 1, new ResourceDefaults());

        Assert.Equal("shop_data", Assert.Single(plan.Mounts).Source);
    }
}
