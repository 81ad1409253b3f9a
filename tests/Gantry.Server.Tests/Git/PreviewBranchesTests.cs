using Gantry.Model.Environments;
using Gantry.Server.Environments;
using Gantry.Server.Git;

namespace Gantry.Server.Tests.Git;

public sealed class PreviewBranchesTests
{
    private const string A = "1111111111111111111111111111111111111111";
    private const string B = "2222222222222222222222222222222222222222";
    private const string Zero = RefUpdate.ZeroId;

    [Fact]
    public void Choose_FirstOtherBranchMovedIsPreviewed_DeletedOnesListed_TagsAndTheDeployBranchIgnored()
    {
        var (deploy, deleted) = PreviewBranches.Choose(
        [
            new RefUpdate(A, B, "refs/heads/main"),
            new RefUpdate(Zero, A, "refs/tags/v1"),
            new RefUpdate(A, Zero, "refs/heads/old"),
            new RefUpdate(Zero, B, "refs/heads/feature/x"),
            new RefUpdate(A, B, "refs/heads/feature/y"),
        ], "main");

        Assert.Equal("feature/x", deploy!.Branch);
        Assert.Equal(["old"], deleted);
    }

    [Fact]
    public void Choose_OnlyTheDeployBranch_NothingToPreview()
    {
        var (deploy, deleted) = PreviewBranches.Choose([new RefUpdate(A, B, "refs/heads/master")], "master");

        Assert.Null(deploy);
        Assert.Empty(deleted);
    }

    [Fact]
    public void Schedule_ExpiredAreThoseIdleTooLong_NextIsTheSoonestOfTheRest()
    {
        var now = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        EnvironmentRecord Preview(string branch, double hoursAgo) => new()
        {
            App = "shop",
            Name = PreviewNames.Environment(branch),
            Preview = new PreviewSpec(branch, "staging", branch + ".shop.localhost", now.AddHours(-hoursAgo)),
        };
        var idle = TimeSpan.FromDays(1);

        var (expired, next) = PreviewSchedule.At([Preview("a", 30), Preview("b", 20), Preview("c", 2), new EnvironmentRecord { App = "shop", Name = "staging" }], idle, now);

        Assert.Equal(["a"], expired.Select(r => r.Preview!.Branch));
        Assert.Equal(now.AddHours(4), next);
        Assert.Equal((0, (DateTimeOffset?)null), (PreviewSchedule.At([], idle, now).Expired.Count, PreviewSchedule.At([], idle, now).Next));
    }
}
