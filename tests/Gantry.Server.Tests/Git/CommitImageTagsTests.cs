using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Server.Git;

namespace Gantry.Server.Tests.Git;

public sealed class CommitImageTagsTests
{
    private static readonly ReleaseSource Source = new("3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c", "main", "Tess <t@e>");

    [Fact]
    public void Apply_BuiltServiceWithTheDefaultName_IsTaggedWithTheCommit()
    {
        var spec = new AppSpec
        {
            Name = "shop",
            Services =
            [
                new ServiceSpec { Name = "Web", Image = "shop-web:latest", Build = new BuildSpec("/b") },
                new ServiceSpec { Name = "worker", Image = "acme/worker:2", Build = new BuildSpec("/b") },
                new ServiceSpec { Name = "db", Image = "postgres:16" },
            ],
        };

        var tagged = CommitImageTags.Apply(spec, Source);

        Assert.Equal(["shop/web:3f2a1b4c5d6e", "acme/worker:2", "postgres:16"], tagged.Services.Select(s => s.Image));
        Assert.Equal(SpecHash.Compute(spec.Services[0], "sha256:1"), SpecHash.Compute(tagged.Services[0], "sha256:1"));
    }
}
