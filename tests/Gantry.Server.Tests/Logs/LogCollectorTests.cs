using Gantry.Controllers.Engine;
using Gantry.Server.Logs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Server.Tests.Logs;

public sealed class LogCollectorTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddMinutes(-10);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gantry-collector-" + Guid.NewGuid().ToString("N"));
    private readonly LogsOnlyEngine _engine = new();

    private LogStore OpenStore() => new(new LogStoreOptions { Directory = _directory }, TimeProvider.System);

    private static EngineLogLine Out(double seconds, string text) => new(T0.AddSeconds(seconds), "stdout", text);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<List<string>> TextsAsync(LogStore store, string app = "shop")
    {
        var texts = new List<string>();
        await foreach (var line in store.ReadAsync(app, new LogQuery(), follow: false, CancellationToken.None))
        {
            texts.Add(line.Text);
        }
        return texts;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(25);
        }
        Assert.True(await condition());
    }

    [Fact]
    public async Task Restart_ResumesFromTheCursor_NoLineTwiceAndNoneLost()
    {
        // Two lines at the same instant at the end: the engine's since is inclusive, so the cursor counts them.
        _engine.Add("aaaa11112222", "shop", "web", 3, running: true, Out(1, "one"), Out(2, "two"), Out(2, "two again"));
        using (var store = OpenStore())
        using (var collector = new LogCollector(_engine, store, TimeProvider.System, NullLogger<LogCollector>.Instance))
        {
            await collector.StartAsync(CancellationToken.None);
            await EventuallyAsync(async () => (await TextsAsync(store)).Count == 3);
            await collector.StopAsync(CancellationToken.None);
        }

        // Written while the server was down, one of them at the same instant as the last collected ones.
        _engine.Write("aaaa11112222", Out(2, "two, third of that instant"), Out(3, "three"));
        using (var store = OpenStore())
        using (var collector = new LogCollector(_engine, store, TimeProvider.System, NullLogger<LogCollector>.Instance))
        {
            await collector.StartAsync(CancellationToken.None);
            await EventuallyAsync(async () => (await TextsAsync(store)).Count >= 5);
            await Task.Delay(200);
            await collector.StopAsync(CancellationToken.None);

            var lines = new List<StoredLogLine>();
            await foreach (var line in store.ReadAsync("shop", new LogQuery(), follow: false, CancellationToken.None))
            {
                lines.Add(line);
            }
            Assert.Equal(["one", "two", "two again", "two, third of that instant", "three"], lines.Select(l => l.Text));
            Assert.All(lines, l => Assert.Equal(3, l.Release));
            Assert.All(lines, l => Assert.Equal("web", l.Service));
            Assert.All(lines, l => Assert.Equal("shop-web-1-aaaa", l.Replica));
        }
    }

    [Fact]
    public async Task ReplicaStartedLater_ReadAfterItsStartEvent()
    {
        using var store = OpenStore();
        using var collector = new LogCollector(_engine, store, TimeProvider.System, NullLogger<LogCollector>.Instance);
        await collector.StartAsync(CancellationToken.None);
        _engine.Add("bbbb11112222", "shop", "web", 1, running: true, Out(1, "first replica"));
        await EventuallyAsync(async () => (await TextsAsync(store)).Count == 1);

        _engine.Add("cccc11112222", "shop", "worker", 2, running: true, Out(5, "started later"));
        await EventuallyAsync(async () => (await TextsAsync(store)).Count == 2);
        Assert.Equal(2, collector.Readers);

        await collector.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StoppedContainer_ReadOnceNotAgainOnEveryListing()
    {
        using var store = OpenStore();
        _engine.Add("dddd11112222", "shop", "job", 1, running: false, Out(1, "done"));
        using var collector = new LogCollector(_engine, store, TimeProvider.System, NullLogger<LogCollector>.Instance);
        await collector.StartAsync(CancellationToken.None);
        await EventuallyAsync(async () => (await TextsAsync(store)).Count == 1 && collector.Readers == 0);
        var streams = _engine.Streams;

        // Another app's start lists again: the finished container is not read again.
        _engine.Add("eeee11112222", "other", "web", 1, running: true, Out(1, "hello"));
        await EventuallyAsync(async () => (await TextsAsync(store, "other")).Count == 1);

        Assert.Equal(streams + 1, _engine.Streams);
        Assert.Equal(["done"], await TextsAsync(store));
        await collector.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task FollowStreamDropped_WhileTheReplicaRuns_ReadAgainFromTheCursor()
    {
        using var store = OpenStore();
        _engine.Add("ffff11112222", "shop", "web", 1, running: true, Out(1, "before the drop"));
        using var collector = new LogCollector(_engine, store, TimeProvider.System, NullLogger<LogCollector>.Instance);
        await collector.StartAsync(CancellationToken.None);
        await EventuallyAsync(async () => (await TextsAsync(store)).Count == 1);

        // Twice: the first listing and the start event of the same container both ask for it, so the first end of its
        // stream is read again anyway; the second is the case a reader alone must notice.
        _engine.Write("ffff11112222", Out(2, "after the first drop"));
        _engine.Drop("ffff11112222");
        await EventuallyAsync(async () => (await TextsAsync(store)).Count == 2 && _engine.Streams == 2);
        _engine.Write("ffff11112222", Out(3, "after the second drop"));
        _engine.Drop("ffff11112222");

        await EventuallyAsync(async () => (await TextsAsync(store)).Count == 3);
        Assert.Equal(["before the drop", "after the first drop", "after the second drop"], await TextsAsync(store));
        Assert.Equal(3, _engine.Streams);
        Assert.Equal(1, collector.Readers);
        await collector.StopAsync(CancellationToken.None);
    }
}
