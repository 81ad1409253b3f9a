namespace Gantry.Registry.Tests.Auth;

public sealed class RepositoryPatternsTests
{
    [Theory]
    [InlineData("*", "a/b", true)]
    [InlineData("team/*", "team/app", true)]
    [InlineData("team/*", "other/app", false)]
    [InlineData("*/public", "gdr-1/public", true)]
    [InlineData("*/public", "gdr-1/public2", false)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("exact", "exact", true)]
    [InlineData("exact", "exactly", false)]
    public void Matches_Glob_MatchesAnyRun(string pattern, string repository, bool expected) =>
        Assert.Equal(expected, RepositoryPatterns.Matches(pattern, repository));
}
