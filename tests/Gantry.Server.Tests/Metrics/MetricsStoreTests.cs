using Gantry.Server.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Server.Tests.Metrics;

public sealed class MetricsStoreTests : IDisposable
{
    private static readonly SeriesKey Cpu = new("shop", "web", "web-1", "cpu");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gantry-metrics-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));

    private string FilePath => Path.Combine(_directory, MetricsStore.FileName);

    private MetricsStore Open(long budget = 1L << 20) =>
        new(new MetricsOptions { Directory = _directory, BudgetBytes = budget, FlushInterval = TimeSpan.FromSeconds(10) }, _time);

    /// <summary>A sample every 10 s for <paramref name="count"/> slots, each flushed by the clock.</summary>
    private void Feed(MetricsStore store, int count)
    {
        for (var i = 0; i < count; i++)
        {
            store.Record(Cpu, MetricKind.Gauge, _time.GetUtcNow(), i);
            _time.Advance(TimeSpan.FromSeconds(10));
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Record_APassWhileQueriesRun_EveryQuerySeesAllOfItOrNone()
    {
        using var store = Open(budget: 64L << 20);
        var start = _time.GetUtcNow();
        SeriesKey[] keys = [.. Enumerable.Range(0, 8).Select(i => new SeriesKey("shop", "web", "", "metric-" + i))];
        using var done = new CancellationTokenSource();
        var torn = 0;
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                var counts = store.Query("shop", null, start, TimeSpan.FromSeconds(10)).Select(s => s.Points.Count).ToList();
                torn += counts.Count is > 0 and < 8 || counts.Distinct().Count() > 1 ? 1 : 0;
                reads++;
            }
        });

        for (var pass = 0; pass < 300; pass++)
        {
            store.Record([.. keys.Select(k => new MetricSample(k, MetricKind.Gauge, pass))], _time.GetUtcNow());
            _time.Advance(TimeSpan.FromSeconds(10));
            await Task.Yield();
        }
        await done.CancelAsync();
        await reader;

        Assert.True(reads > 0);
        Assert.Equal(0, torn);
        Assert.All(store.Query("shop", null, start, TimeSpan.FromSeconds(10)), s => Assert.Equal(300, s.Points.Count));
    }

    [Fact]
    public void Reopen_AfterFlush_HistoryIsBack()
    {
        var start = _time.GetUtcNow();
        using (var store = Open())
        {
            Feed(store, 12);
        }

        using var reopened = Open();
        var points = Assert.Single(reopened.Query("shop", null, start, TimeSpan.FromSeconds(10))).Points;

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (double)i), points.Select(p => p.Last));
    }

    [Fact]
    public void Reopen_TornLastRecord_IgnoredAndCutSoLaterAppendsRead()
    {
        var start = _time.GetUtcNow();
        using (var store = Open())
        {
            Feed(store, 6);
        }
        using (var file = new FileStream(FilePath, FileMode.Open))
        {
            file.SetLength(file.Length - 5); // a crash in the middle of the last record
        }

        using (var reopened = Open())
        {
            var points = Assert.Single(reopened.Query("shop", null, start, TimeSpan.FromSeconds(10))).Points;
            Assert.Equal([0.0, 1, 2, 3, 4], points.Select(p => p.Last));
            Feed(reopened, 2);
        }

        using var again = Open();
        Assert.Equal([0.0, 1, 2, 3, 4, 0, 1], Assert.Single(again.Query("shop", null, start, TimeSpan.FromSeconds(10))).Points.Select(p => p.Last));
    }

    [Fact]
    public void Reopen_GarbageAtTheEnd_IgnoredLikeATornRecord()
    {
        var start = _time.GetUtcNow();
        using (var store = Open())
        {
            Feed(store, 3);
        }
        File.AppendAllText(FilePath, "\u0002\u0014\u0000not a record");

        using var reopened = Open();

        Assert.Equal(3, Assert.Single(reopened.Query("shop", null, start, TimeSpan.FromSeconds(10))).Points.Count);
    }

    [Fact]
    public void Idle_NoSampleForAnHour_FileNeitherGrowsNorIsTouched()
    {
        using var store = Open();
        Feed(store, 3);
        _time.Advance(TimeSpan.FromSeconds(30));
        var length = new FileInfo(FilePath).Length;
        var written = File.GetLastWriteTimeUtc(FilePath);
        Thread.Sleep(20); // a write now would show in the file's time

        for (var i = 0; i < 360; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.True(length > 0);
        Assert.Equal(length, new FileInfo(FilePath).Length);
        Assert.Equal(written, File.GetLastWriteTimeUtc(FilePath));
    }

    [Fact]
    public void Record_SamplesWithinAnInterval_OneAppendWhenItEnds()
    {
        using var store = Open();
        store.Record(Cpu, MetricKind.Gauge, _time.GetUtcNow(), 1);
        _time.Advance(TimeSpan.FromSeconds(5));
        store.Record(Cpu, MetricKind.Gauge, _time.GetUtcNow(), 2);

        Assert.Equal(0, new FileInfo(FilePath).Length);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(new FileInfo(FilePath).Length > 0);
    }

    [Fact]
    public void Flush_FilePastTwiceTheBudget_CompactedAndHistoryKept()
    {
        var budget = 4_000;
        var start = _time.GetUtcNow();
        using (var store = Open(budget))
        {
            Feed(store, 400);
            Assert.True(new FileInfo(FilePath).Length <= 2 * budget + 200, $"{new FileInfo(FilePath).Length} bytes");
            Assert.True(store.Dropped > 0);
        }

        using var reopened = Open(budget);
        var points = Assert.Single(reopened.Query("shop", null, start, TimeSpan.FromSeconds(10))).Points;
        Assert.Equal(399, points[^1].Last); // the newest survive
    }

    [Fact]
    public async Task Flush_WhileSamplesArriveAndCompactionsRun_ReopenedFileHoldsWhatMemoryHeld()
    {
        var budget = 6_000;
        var start = _time.GetUtcNow();
        SeriesKey[] keys = [.. Enumerable.Range(0, 4).Select(i => new SeriesKey("shop", "web", "", "metric-" + i))];
        IReadOnlyList<MetricSeriesPoints> held;
        using (var store = Open(budget))
        {
            using var done = new CancellationTokenSource();
            var flushes = 0;
            var flusher = Task.Run(() =>
            {
                while (!done.IsCancellationRequested)
                {
                    store.Flush();
                    flushes++;
                }
            });
            for (var pass = 0; pass < 400; pass++)
            {
                store.Record([.. keys.Select((k, i) => new MetricSample(k, MetricKind.Gauge, pass * 10 + i))], _time.GetUtcNow());
                _time.Advance(TimeSpan.FromSeconds(10));
                await Task.Yield();
            }
            await done.CancelAsync();
            await flusher;
            Assert.True(flushes > 1);
            Assert.True(new FileInfo(FilePath).Length <= 2 * budget + 1_000, $"{new FileInfo(FilePath).Length} bytes: never compacted");
            held = store.Query("shop", null, start, TimeSpan.FromSeconds(10));
        }

        using var reopened = Open(budget);
        var read = reopened.Query("shop", null, start, TimeSpan.FromSeconds(10));
        Assert.Equal(held.Select(s => s.Key), read.Select(s => s.Key));
        foreach (var (before, after) in held.Zip(read))
        {
            Assert.Equal(before.Points.Select(p => (p.At, p.Last)), after.Points.Select(p => (p.At, p.Last)));
        }
        Assert.All(read, s => Assert.Equal(3990 + int.Parse(s.Key.Metric["metric-".Length..], System.Globalization.CultureInfo.InvariantCulture), s.Points[^1].Last));
    }
}
