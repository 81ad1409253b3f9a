using Gantry.Console.Live;
using Gantry.Controllers.Apps;
using Gantry.Model;
using Gantry.Router.Contracts.Requests;
using Gantry.Server.Console;
using Gantry.Server.Requests;
using Gantry.Store;

namespace Gantry.Server.Tests.Console;

public sealed class AppNoticesTests
{
    private static StoredApp App(string name, long version) => new(
        new AppSpec { Name = name },
        null,
        new StoredResource("App", name, "uid-" + name, 1, version, "{}", null, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null));

    [Fact]
    public void Changed_NamesOnlyTheAppsWrittenAddedOrGone()
    {
        var versions = new AppVersions();
        Assert.Equal(["shop", "blog"], versions.Changed([App("shop", 3), App("blog", 4)]));

        Assert.Empty(versions.Changed([App("shop", 3), App("blog", 4)]));
        Assert.Equal(["blog"], versions.Changed([App("shop", 3), App("blog", 9)]));
        Assert.Equal(["wiki", "shop"], versions.Changed([App("blog", 9), App("wiki", 10)]));
    }

    [Theory]
    [InlineData(LiveTopic.App, "shop", AppNoticeKind.State, true)]
    [InlineData(LiveTopic.App, null, AppNoticeKind.Samples, true)]
    [InlineData(LiveTopic.App, "blog", AppNoticeKind.State, false)]
    [InlineData(LiveTopic.App, "shop", AppNoticeKind.Requests, false)]
    [InlineData(LiveTopic.Releases, "shop", AppNoticeKind.State, true)]
    [InlineData(LiveTopic.Releases, null, AppNoticeKind.Samples, false)]
    [InlineData(LiveTopic.Requests, "shop", AppNoticeKind.Requests, true)]
    [InlineData(LiveTopic.Requests, "blog", AppNoticeKind.Requests, false)]
    [InlineData(LiveTopic.Requests, "shop", AppNoticeKind.State, false)]
    [InlineData(LiveTopic.Metrics, null, AppNoticeKind.Samples, true)]
    [InlineData(LiveTopic.Metrics, "shop", AppNoticeKind.State, true)]
    [InlineData(LiveTopic.Apps, "shop", AppNoticeKind.State, false)]
    public void Concerns_AnAppPageRedrawsForItsOwnAppAndItsKinds(LiveTopic topic, string? app, AppNoticeKind kind, bool expected) =>
        Assert.Equal(expected, new AppNotice(app, kind).Concerns("shop", AppNotice.KindsOf(topic)));

    [Fact]
    public void RequestLog_Recorded_NamesEachAppOfTheBatchOnceAndNothingForUnroutedOnes()
    {
        var log = new RequestLog();
        var told = new List<IReadOnlyCollection<string>>();
        log.Recorded += told.Add;

        log.Add([new RequestReport { App = "shop", Status = 200 }, new RequestReport { App = "shop", Status = 200 }, new RequestReport { App = "blog", Status = 500 }]);
        log.Add([new RequestReport { Status = 404 }]);

        var only = Assert.Single(told);
        Assert.Equal(["blog", "shop"], only.Order(StringComparer.Ordinal));
    }
}
