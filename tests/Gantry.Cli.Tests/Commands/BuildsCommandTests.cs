using Gantry.Cli.Commands;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;

namespace Gantry.Cli.Tests.Commands;

public sealed class BuildsCommandTests
{
    [Fact]
    public async Task Builds_ListsNumberCommitStateWithQueuePositionAndDuration()
    {
        var now = DateTimeOffset.UtcNow;
        IReadOnlyList<BuildView> builds =
        [
            new BuildView("shop", 3) { State = BuildStates.Queued, Position = 1, Commit = "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c", Branch = "main", PushedBy = "tess", Deploys = "shop-staging", QueuedAt = now.AddSeconds(-5) },
            new BuildView("shop", 2) { State = BuildStates.Failed, Commit = "1111111111111111111111111111111111111111", Branch = "main", PushedBy = "tess", Deploys = "shop-staging", QueuedAt = now.AddMinutes(-5), StartedAt = now.AddMinutes(-5), FinishedAt = now.AddMinutes(-5).AddSeconds(12.3) },
        ];
        await using var server = await TestServer.StartAsync(ctx => TestServer.WriteJsonAsync(ctx, builds, ApiJsonContext.Default.IReadOnlyListBuildView));
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("builds", "shop");

        Assert.Equal(ExitCodes.Ok, code);
        var lines = h.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^BUILD\s+COMMIT\s+BRANCH\s+STATE\s+DURATION\s+QUEUED\s+BY\s+DEPLOYS$", lines[0]);
        Assert.Matches(@"^3\s+3f2a1b4c5d6e\s+main\s+queued \(position 1\)\s+-\s+\d+s ago\s+tess\s+shop-staging$", lines[1]);
        Assert.Matches(@"^2\s+111111111111\s+main\s+failed\s+12\.3s\s+5m ago\s+tess\s+shop-staging$", lines[2]);
    }

    [Theory]
    [InlineData(null, null, false, "name a build: gantry build APP N [--follow], or gantry build APP --cancel N")]
    [InlineData(2L, 3L, false, "give a build to show (N) or one to cancel (--cancel N), not both (2 and --cancel 3)")]
    [InlineData(0L, null, false, "N 0 is not a build number; builds are numbered from 1 (see `gantry builds APP`)")]
    [InlineData(null, -1L, false, "--cancel -1 is not a build number; builds are numbered from 1 (see `gantry builds APP`)")]
    [InlineData(null, 4L, true, "--follow shows a log; it does not go with --cancel")]
    public void Target_BadArguments_AreUsageErrorsNamingTheValue(long? number, long? cancel, bool follow, string message)
    {
        var error = Assert.Throws<CliException>(() => BuildCommand.Target(number, cancel, follow));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Target_NumberOrCancel_SaysWhich()
    {
        Assert.Equal((5L, false), BuildCommand.Target(5, null, true));
        Assert.Equal((5L, true), BuildCommand.Target(null, 5, false));
    }
}
