using Gantry.Model;
using Gantry.Model.Releases;
using Gantry.Server.Releases;

namespace Gantry.Server.Tests.Releases;

public sealed class ReleaseByCommitTests
{
    private const string A = "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d";
    private const string B = "1a2b3c4fffffffffffffffffffffffffffffffff";

    private static ReleaseRecord Release(long number, string? commit, long? rollbackOf = null) => new()
    {
        App = "hello",
        Number = number,
        Spec = new AppSpec { Name = "hello" },
        RollbackOf = rollbackOf,
        Source = commit is null ? null : new ReleaseSource(commit, "main", "Tess <t@example.com>"),
    };

    [Fact]
    public void Find_ShortCommit_PicksTheReleaseThatFirstRanIt()
    {
        var (number, error) = ReleaseByCommit.Find("hello", [Release(1, A), Release(2, B), Release(3, A, rollbackOf: 1)], "1A2B3C4D");

        Assert.Null(error);
        Assert.Equal(1, number);
    }

    [Fact]
    public void Find_AmbiguousPrefix_AsksForMoreDigits()
    {
        var (number, error) = ReleaseByCommit.Find("hello", [Release(1, A), Release(2, B)], "1a2b3c4");

        Assert.Null(number);
        Assert.Contains("matches several commits", error);
    }

    [Theory]
    [InlineData("xyz1234", "is not a commit id")]
    [InlineData("1a2b", "is not a commit id")]
    [InlineData("fedcba98", "no release of 'hello' was made from commit fedcba98")]
    public void Find_BadOrUnknown_SaysWhy(string commit, string expected)
    {
        var (number, error) = ReleaseByCommit.Find("hello", [Release(1, A), Release(2, null)], commit);

        Assert.Null(number);
        Assert.Contains(expected, error);
    }
}
