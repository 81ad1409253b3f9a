using Gantry.Server.NodeRouters;

namespace Gantry.Server.Tests.NodeRouters;

public sealed class NodeRouterSpecTests
{
    private static readonly NodeRouterSpec Spec = new("node2", "gantry/router:0123456789abcdef", new Uri("http://10.99.0.1:7070"), 80, "inst-1234567890abcdef");

    [Fact]
    public void ToCreateParameters_Spec_FollowsTheServerPublishesThePortAndIsLabelled()
    {
        var create = Spec.ToCreateParameters("secret");

        Assert.Equal("gantry-router-inst12345678", create.Name);
        Assert.Equal(["--from", "http://10.99.0.1:7070/", "--id", "node-router-node2", "--http", "0.0.0.0:80"], create.Cmd);
        Assert.Equal(["GANTRY_TOKEN=secret"], create.Env);
        Assert.Equal("80", create.HostConfig!.PortBindings!["80/tcp"].Single().HostPort);
        Assert.Equal("unless-stopped", create.HostConfig.RestartPolicy!.Name);
        Assert.Equal("node-router", create.Labels![NodeRouterSpec.RoleLabel]);
        Assert.Equal("inst-1234567890abcdef", create.Labels[Gantry.Model.GantryLabels.Owner]);
        Assert.Equal(Spec.Hash, create.Labels[Gantry.Model.GantryLabels.SpecHash]);
    }

    [Fact]
    public void Hash_ImageOrPortChanged_Differs()
    {
        Assert.NotEqual(Spec.Hash, (Spec with { Image = "gantry/router:fedcba9876543210" }).Hash);
        Assert.NotEqual(Spec.Hash, (Spec with { Port = 8080 }).Hash);
        Assert.Equal(Spec.Hash, (Spec with { }).Hash);
    }
}
