using Gantry.Model;

namespace Gantry.Model.Tests;

public class SpecHashTests
{
    private static readonly ServiceSpec Web = new() { Name = "web", Image = "web:1", Replicas = 2, Command = ["serve"] };

    [Fact]
    public void Compute_ReplicaCountChanged_SameHash()
    {
        Assert.Equal(SpecHash.Compute(Web, "sha256:a"), SpecHash.Compute(Web with { Replicas = 7 }, "sha256:a"));
    }

    [Fact]
    public void Compute_CommandChanged_NewHash()
    {
        Assert.NotEqual(SpecHash.Compute(Web, "sha256:a"), SpecHash.Compute(Web with { Command = ["serve", "--v2"] }, "sha256:a"));
    }

    [Fact]
    public void Compute_SameTagRebuiltToNewImage_NewHash()
    {
        Assert.NotEqual(SpecHash.Compute(Web, "sha256:a"), SpecHash.Compute(Web, "sha256:b"));
    }

    [Fact]
    public void Compute_DependenciesChanged_SameHash()
    {
        Assert.Equal(SpecHash.Compute(Web, "sha256:a"), SpecHash.Compute(Web with { DependsOn = [new DependencySpec("db")] }, "sha256:a"));
    }

    [Fact]
    public void Compute_BuildContextMovedSameImage_SameHash()
    {
        var built = Web with { Image = null, Build = new BuildSpec("/bundles/aaa/api") };
        var moved = built with { Build = new BuildSpec("/bundles/bbb/api") };

        Assert.Equal(SpecHash.Compute(built, "sha256:a"), SpecHash.Compute(moved, "sha256:a"));
        Assert.NotEqual(SpecHash.Compute(built, "sha256:a"), SpecHash.Compute(moved, "sha256:b"));
    }

    [Fact]
    public void Compute_PinRoutesAndReleasePolicy_SameHash()
    {
        var routed = Web with
        {
            PinnedImage = "sha256:a",
            Release = new Releases.ReleasePolicy { Routed = true },
            Extensions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-gantry"] = "{\"host\":\"a.b\"}" },
        };

        Assert.Equal(SpecHash.Compute(Web, "sha256:a"), SpecHash.Compute(routed, "sha256:a"));
    }
}
