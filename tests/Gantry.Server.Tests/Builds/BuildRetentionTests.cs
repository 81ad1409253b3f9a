using Gantry.Model.Api;
using Gantry.Server.Builds;

namespace Gantry.Server.Tests.Builds;

public sealed class BuildRetentionTests
{
    [Fact]
    public void Expired_KeepsTheNewestAndNeverAnUnfinishedBuild()
    {
        var builds = new (long, string)[]
        {
            (1, BuildStates.Succeeded), (2, BuildStates.Running), (3, BuildStates.Failed), (4, BuildStates.Cancelled), (5, BuildStates.Succeeded), (6, BuildStates.Queued),
        };

        Assert.Equal([4L, 3L, 1L], BuildRetention.Expired(builds, 2));
        Assert.Empty(BuildRetention.Expired(builds, 6));
        Assert.Equal([3L, 1L], BuildRetention.Expired(builds, 3));
    }
}
