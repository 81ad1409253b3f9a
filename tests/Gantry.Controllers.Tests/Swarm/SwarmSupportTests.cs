using Gantry.Controllers.Swarm;
using Gantry.Model;
using static Gantry.Controllers.Tests.Planning.PlannerFixtures;

namespace Gantry.Controllers.Tests.Swarm;

/// <summary>What a cluster cannot run yet is named with its service, key and value, never dropped.</summary>
public sealed class SwarmSupportTests
{
    [Fact]
    public void Unsupported_ImageOnlyService_Nothing() => Assert.Empty(SwarmSupport.Unsupported(App(Service("web", 3))));

    [Fact]
    public void Unsupported_PortsBindBuildSecrets_EachNamed()
    {
        var app = App(Service("web") with
        {
            Build = new BuildSpec("."),
            Ports = [new PortSpec(80, "8080")],
            Volumes = [new MountSpec(MountType.Bind, "/srv/data", "/data"), new MountSpec(MountType.Volume, "shop_data", "/v")],
            Secrets = [new FileReferenceSpec("token", "/run/secrets/token")],
        });

        var problems = SwarmSupport.Unsupported(app);

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("services.web.build:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("services.web.ports: '8080:80'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'/srv/data:/data'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("secrets and configs", StringComparison.Ordinal));
    }

    [Fact]
    public void Unsupported_BuildWithRegistryAddress_Allowed()
    {
        var app = App(Service("web") with { Build = new BuildSpec(".") });

        Assert.Empty(SwarmSupport.Unsupported(app, registry: true));
        Assert.Contains("--registry-address", Assert.Single(SwarmSupport.Unsupported(app)), StringComparison.Ordinal);
    }
}
