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

    [Fact]
    public void Compute_SpecWithoutTheRuntimeKeysOfIssue16_HashesAsBeforeTheyExisted()
    {
        // 6425efff6b4deb9a is what this spec hashed to before the runtime keys were added (commit 042b265): an upgrade must not
        // recreate a running container just because the model grew.
        var spec = new ServiceSpec
        {
            Name = "web", Image = "shop/web:1", Command = ["serve"], Ports = [new PortSpec(80, "8080")],
            Volumes = [new MountSpec(MountType.Volume, "data", "/data"), new MountSpec(MountType.Tmpfs, null, "/tmp") { TmpfsSizeBytes = 1024 }],
            Resources = new ResourcesSpec { MemoryLimitBytes = 1 << 30, PidsLimit = 100 },
            Networks = [new ServiceNetworkSpec("default") { Aliases = ["www"] }],
            Labels = new SortedDictionary<string, string> { ["a"] = "b" },
            StopSignal = "SIGINT",
        };

        Assert.Equal("6425efff6b4deb9a", SpecHash.Compute(spec, "sha256:abc"));
        Assert.NotEqual("6425efff6b4deb9a", SpecHash.Compute(spec with { Hostname = "web1" }, "sha256:abc"));
        Assert.NotEqual("6425efff6b4deb9a", SpecHash.Compute(spec with { CapAdd = ["NET_ADMIN"] }, "sha256:abc"));
        // The fresh set of a cluster's scale-in (docs/decisions/0034): at 0 the hash is the old one, counted up it is a new one.
        Assert.Equal("6425efff6b4deb9a", SpecHash.Compute(spec with { Incarnation = 0 }, "sha256:abc"));
        Assert.NotEqual("6425efff6b4deb9a", SpecHash.Compute(spec with { Incarnation = 1 }, "sha256:abc"));
        Assert.NotEqual(SpecHash.Compute(spec with { Incarnation = 1 }, "sha256:abc"), SpecHash.Compute(spec with { Incarnation = 2 }, "sha256:abc"));
    }

    [Fact]
    public void Compute_AutoscalePolicyAddedOrChanged_SameHash()
    {
        var scaled = Web with { Autoscale = new Autoscaling.AutoscaleSpec { Min = 2, Max = 10, Cpu = 0.7 } };

        Assert.Equal(SpecHash.Compute(Web, "sha256:a"), SpecHash.Compute(scaled, "sha256:a"));
        Assert.Equal(SpecHash.Compute(Web, "sha256:a"), SpecHash.Compute(scaled with { Autoscale = scaled.Autoscale! with { Max = 3 } }, "sha256:a"));
    }

    [Fact]
    public void Serialize_NoAutoscale_JsonHasNoAutoscaleField()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Web, ModelJsonContext.Default.ServiceSpec);

        Assert.DoesNotContain("autoscale", json, StringComparison.OrdinalIgnoreCase);
    }
}
