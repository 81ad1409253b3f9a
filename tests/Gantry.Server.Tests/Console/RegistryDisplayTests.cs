using Gantry.Console.Registry;
using Gantry.Model.Api.Registry;

namespace Gantry.Server.Tests.Console;

/// <summary>The Registry pages' words: rules, collection runs, which tags share a manifest, and what a delete will do.</summary>
public sealed class RegistryDisplayTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private const string D1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string D2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private static readonly IReadOnlyList<TagView> Tags =
    [
        new("v2", D2, "application/vnd.oci.image.manifest.v1+json", 2048, At, "alice"),
        new("latest", D2, "application/vnd.oci.image.manifest.v1+json", 2048, At, "alice"),
        new("v1", D1, "application/vnd.oci.image.manifest.v1+json", 1024, At.AddHours(-1), null),
    ];

    [Theory]
    [InlineData(10, null, "keep the newest 10 tags; delete the other tags")]
    [InlineData(1, "^v", "keep the newest tag, keep tags matching ^v; delete the other tags")]
    [InlineData(null, "^release-", "keep tags matching ^release-; delete the other tags")]
    public void Rule_KeepLastAndPattern_SaysWhatIsKept(int? keepLast, string? keepMatching, string expected) =>
        Assert.Equal(expected, RegistryDisplay.Rule(new RetentionRuleView("team/*", keepLast, keepMatching)));

    [Fact]
    public void Outcome_FinishedRunningAndFailed_EachWorded()
    {
        var finished = new GcRunView(3, At, At.AddSeconds(2), "admin", 1, 1, 4, 3 << 20, 0, null);

        Assert.Equal("1 tag and 1 manifest removed by retention, 4 blobs (3 MiB) freed, 0 idle uploads expired", RegistryDisplay.Outcome(finished));
        Assert.Equal("running", RegistryDisplay.Outcome(finished with { FinishedAt = null }));
        Assert.Equal("failed: disk full", RegistryDisplay.Outcome(finished with { Error = "disk full" }));
    }

    [Fact]
    public void TagsByDigest_TwoTagsOnOneManifest_GroupedInListingOrder()
    {
        var byDigest = RegistryDisplay.TagsByDigest(Tags);

        Assert.Equal(["v2", "latest"], byDigest[D2]);
        Assert.Equal(["v1"], byDigest[D1]);
    }

    [Theory]
    [InlineData("team/app:v1", "team/app", "v1", false)]
    [InlineData("team/app@" + D1, "team/app", D1, true)]
    [InlineData("localhost/team/app:1.0", "localhost/team/app", "1.0", false)]
    public void Parse_TagOrDigest_SplitsRepositoryAndReference(string image, string repository, string reference, bool isDigest) =>
        Assert.Equal((repository, reference, isDigest), RegistryDisplay.Parse(image));

    [Theory]
    [InlineData("team/app")]
    [InlineData("team/app:")]
    [InlineData("host:5000/team/app")]
    [InlineData("team/app@")]
    public void Parse_NeitherTagNorDigest_IsNull(string image) => Assert.Null(RegistryDisplay.Parse(image));

    [Fact]
    public void WhatHappens_TagSharingItsManifest_SaysTheManifestStaysTagged() =>
        Assert.Equal("The tag v2 is removed from team/app. The manifest sha256:222222222222 stays, still tagged latest; its layers are freed by a garbage collection once nothing references them.",
            RegistryDisplay.WhatHappens("team/app:v2", Tags));

    [Fact]
    public void WhatHappens_Manifest_NamesEveryTagThatGoesWithIt() =>
        Assert.Equal("The manifest sha256:222222222222 is removed from team/app with its tags v2, latest. Pulls of it fail from now on; its layers are freed by a garbage collection once nothing references them.",
            RegistryDisplay.WhatHappens("team/app@" + D2, Tags));

    [Fact]
    public void Preview_TagsManifestsAndBlobs_SaysWhatARunWouldDoInARunsWords()
    {
        var preview = new GcPreviewView(["team/app:v1"], ["team/app@" + D1], [new GcBlobView(D1, 1024), new GcBlobView(D2, 2048)], 3072, 0);

        Assert.Equal("1 tag and 1 manifest would be removed by retention, 2 blobs (3 KiB) freed, 0 idle uploads expired", RegistryDisplay.Preview(preview));
        Assert.Equal("team/app@sha256:111111111111", RegistryDisplay.ShortImage("team/app@" + D1));
        Assert.Equal("team/app:v1", RegistryDisplay.ShortImage("team/app:v1"));
    }
}
