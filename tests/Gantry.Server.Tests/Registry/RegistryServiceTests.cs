using Gantry.Server.Registry;

namespace Gantry.Server.Tests.Registry;

/// <summary>How the registry API reads what a delete names, and which team a repository belongs to.</summary>
public sealed class RegistryServiceTests
{
    [Theory]
    [InlineData("team/app:v1", "team/app", "v1")]
    [InlineData("team/app@sha256:abc", "team/app", "sha256:abc")]
    [InlineData("team/sub/app:1.2.3", "team/sub/app", "1.2.3")]
    public void ParseReference_TagOrDigest_SplitsIt(string reference, string repository, string tagOrDigest) =>
        Assert.Equal((repository, tagOrDigest), RegistryService.ParseReference(reference));

    [Theory]
    [InlineData("team/app")]
    [InlineData("team/app:")]
    [InlineData("team/app:-bad")]
    [InlineData("host:5000/app")]
    [InlineData("@sha256:abc")]
    public void ParseReference_NotAReference_IsNull(string reference) => Assert.Null(RegistryService.ParseReference(reference));

    [Theory]
    [InlineData("team/app", "team")]
    [InlineData("team/sub/app", "team")]
    [InlineData("app", null)]
    public void TeamOf_Repository_IsItsFirstSegment(string repository, string? team) => Assert.Equal(team, RegistryService.TeamOf(repository));
}
