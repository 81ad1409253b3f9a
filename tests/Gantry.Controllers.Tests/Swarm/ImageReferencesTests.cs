using Gantry.Controllers.Swarm;

namespace Gantry.Controllers.Tests.Swarm;

/// <summary>The reference rewriting of docs/decisions/0030: repositories in Gantry's registry, tags, and digest pinning.</summary>
public sealed class ImageReferencesTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("10.99.0.1:7070", "default", "shop", "web", "10.99.0.1:7070/default/shop-web")]
    [InlineData("registry.example.com/", "Blue", "Shop", "Web_1.api", "registry.example.com/blue/shop-web-1-api")]
    [InlineData("r:5000", "ops", "a--b", "__x__", "r:5000/ops/a-b-x")]
    public void Repository_TeamAppService_ValidNameUnderTheTeam(string registry, string team, string app, string service, string expected) =>
        Assert.Equal(expected, ImageReferences.Repository(registry, team, app, service));

    [Fact]
    public void Tag_ReleaseOrImageId() =>
        Assert.Equal(("r7", "id-0123456789ab"), (ImageReferences.Tag(7, Digest), ImageReferences.Tag(0, Digest)));

    [Fact]
    public void ByDigest_RepositoryAtDigest() =>
        Assert.Equal($"10.99.0.1:7070/default/shop-web@{Digest}", ImageReferences.ByDigest("10.99.0.1:7070/default/shop-web", Digest));

    [Theory]
    [InlineData("busybox:1.36", "docker.io/library/busybox@" + Digest, "busybox:1.36@" + Digest)]
    [InlineData("gantry/busybox", "docker.io/gantry/busybox@" + Digest, "gantry/busybox@" + Digest)]
    [InlineData("registry.example.com:5000/team/app:2", "registry.example.com:5000/team/app@" + Digest, "registry.example.com:5000/team/app:2@" + Digest)]
    public void PinnedByDigest_RepoDigestOfTheSameRepository_ReferenceKeptWithTheDigest(string reference, string repoDigest, string expected) =>
        Assert.Equal(expected, ImageReferences.PinnedByDigest(reference, ["other.example.com/x@sha256:" + new string('f', 64), repoDigest]));

    [Fact]
    public void PinnedByDigest_NoRepoDigests_NullSoTheImageIsPushed()
    {
        Assert.Null(ImageReferences.PinnedByDigest("gantry/busybox:1", null));
        Assert.Null(ImageReferences.PinnedByDigest("gantry/busybox:1", []));
        // Pushed to Gantry's registry once: a digest of another repository is not this reference's.
        Assert.Null(ImageReferences.PinnedByDigest("gantry/busybox:1", ["10.99.0.1:7070/default/shop-web@" + Digest]));
    }

    [Fact]
    public void PinnedByDigest_AlreadyByDigest_Unchanged() =>
        Assert.Equal("busybox@" + Digest, ImageReferences.PinnedByDigest("busybox@" + Digest, null));

    [Theory]
    [InlineData("127.0.0.1:7070/team/app:1", true)]
    [InlineData("localhost:5000/app", true)]
    [InlineData("[::1]:5000/app", true)]
    [InlineData("10.99.0.1:7070/team/app:1", false)]
    [InlineData("busybox:1", false)]
    [InlineData("library/busybox", false)]
    public void IsLoopbackRegistry_OnlyTheManagersOwnLoopback(string reference, bool expected) =>
        Assert.Equal(expected, ImageReferences.IsLoopbackRegistry(reference));

    [Theory]
    [InlineData("busybox", "busybox")]
    [InlineData("busybox:1", "busybox")]
    [InlineData("r:5000/a/b:2", "r:5000/a/b")]
    [InlineData("r:5000/a/b", "r:5000/a/b")]
    [InlineData("r:5000/a/b:2@" + Digest, "r:5000/a/b")]
    public void RepositoryOf_WithoutTagOrDigest(string reference, string expected) =>
        Assert.Equal(expected, ImageReferences.RepositoryOf(reference));
}
