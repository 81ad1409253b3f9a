using System.IO.Compression;
using Gantry.Server.Logs;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Server.Tests.Logs;

public sealed class LogStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gantry-logs-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));

    private LogStore Open(long maxBytes = 1L << 30, TimeSpan? maxAge = null, long segmentBytes = 8L << 20) =>
        new(new LogStoreOptions { Directory = _directory, MaxBytes = maxBytes, MaxAge = maxAge ?? TimeSpan.FromDays(7), SegmentBytes = segmentBytes }, _time);

    private StoredLogLine Line(string text, string service = "web", int release = 1, string container = "c1", TimeSpan? at = null) =>
        new(_time.GetUtcNow() + (at ?? TimeSpan.Zero), service, $"shop-{service}-1-{container}", release, "stdout", container, text);

    private static async Task<List<StoredLogLine>> ReadAsync(LogStore store, LogQuery query, string app = "shop")
    {
        var lines = new List<StoredLogLine>();
        await foreach (var line in store.ReadAsync(app, query, follow: false, CancellationToken.None))
        {
            lines.Add(line);
        }
        return lines;
    }

    private string AppDirectory => Path.Combine(_directory, "shop");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Append_ThenRead_LinesComeBackAsWritten()
    {
        using var store = Open();
        store.Append("shop", Line("""{"level":"info","msg":"hello \"there\""}"""));
        store.Append("shop", Line("plain ünïcode line", at: TimeSpan.FromMilliseconds(1)));

        var lines = await ReadAsync(store, new LogQuery());

        Assert.Equal(["""{"level":"info","msg":"hello \"there\""}""", "plain ünïcode line"], lines.Select(l => l.Text));
        Assert.Equal(_time.GetUtcNow(), lines[0].Time);
        Assert.Equal("shop-web-1-c1", lines[0].Replica);
    }

    [Fact]
    public void Append_NothingWaits_NoTimerAndNoWrite()
    {
        using var store = Open();
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(0, store.FileWrites);
        Assert.False(Directory.Exists(AppDirectory));
    }

    [Fact]
    public void Append_ManyLinesWithinOneInterval_OneWrite()
    {
        using var store = Open();
        for (var i = 0; i < 500; i++)
        {
            store.Append("shop", Line($"line {i}", at: TimeSpan.FromTicks(i)));
        }
        Assert.Equal(0, store.FileWrites);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, store.FileWrites);

        // Silent afterwards: the timer is not re-armed, nothing is written again.
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, store.FileWrites);
    }

    [Fact]
    public async Task Seal_AtSegmentSize_CompressedAndIndexedAndStillRead()
    {
        using (var store = Open(segmentBytes: 4096))
        {
            for (var i = 0; i < 200; i++)
            {
                store.Append("shop", Line($"request {i} served in 3 ms", at: TimeSpan.FromMilliseconds(i)));
            }
        }

        var sealedFiles = Directory.GetFiles(AppDirectory, "*.ndjson.gz");
        Assert.True(sealedFiles.Length >= 2, string.Join(", ", Directory.GetFiles(AppDirectory)));
        Assert.True(File.Exists(Path.Combine(AppDirectory, LogStore.IndexFileName)));
        // Really gzip: the first sealed file decompresses to NDJSON records.
        using (var gzip = new GZipStream(File.OpenRead(sealedFiles.Order().First()), CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip))
        {
            Assert.StartsWith("{\"t\":", reader.ReadLine(), StringComparison.Ordinal);
        }
        using var reopened = Open(segmentBytes: 4096);
        var lines = await ReadAsync(reopened, new LogQuery());
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"request {i} served in 3 ms"), lines.Select(l => l.Text));
        Assert.True(reopened.Totals().Bytes < 200 * 40, $"{reopened.Totals().Bytes} bytes on disk for 200 similar lines");
    }

    [Fact]
    public void Seal_ALineOfALaterDay_OpensANewSegment()
    {
        using var store = Open();
        store.Append("shop", Line("before midnight"));
        _time.Advance(TimeSpan.FromHours(13));
        store.Append("shop", Line("after midnight"));
        store.Flush();

        Assert.Single(Directory.GetFiles(AppDirectory, "20261205-*.ndjson.gz"));
        Assert.Single(Directory.GetFiles(AppDirectory, "20261206-*.ndjson"));
    }

    [Fact]
    public async Task Query_Filters_ServiceReleaseTimeAndText()
    {
        using var store = Open();
        var start = _time.GetUtcNow();
        store.Append("shop", Line("web r1 GET /", release: 1, container: "a"));
        store.Append("shop", Line("worker r1 job done", service: "worker", release: 1, container: "b", at: TimeSpan.FromSeconds(1)));
        store.Append("shop", Line("web r2 GET /cart", release: 2, container: "c", at: TimeSpan.FromMinutes(5)));
        store.Append("shop", Line("web r2 GET /pay failed", release: 2, container: "c", at: TimeSpan.FromMinutes(10)));

        Assert.Equal(["web r2 GET /cart", "web r2 GET /pay failed"], (await ReadAsync(store, new LogQuery { Release = 2 })).Select(l => l.Text));
        Assert.Equal(["worker r1 job done"], (await ReadAsync(store, new LogQuery { Service = "worker" })).Select(l => l.Text));
        Assert.Equal(["web r2 GET /pay failed"], (await ReadAsync(store, new LogQuery { Grep = "failed" })).Select(l => l.Text));
        Assert.Empty(await ReadAsync(store, new LogQuery { Grep = "FAILED" }));
        Assert.Equal(["web r2 GET /cart"], (await ReadAsync(store, new LogQuery { Since = start + TimeSpan.FromMinutes(1), Until = start + TimeSpan.FromMinutes(10) })).Select(l => l.Text));
        Assert.Empty(await ReadAsync(store, new LogQuery(), app: "other"));
    }

    [Fact]
    public async Task Query_TailPerReplica_LastNOfEach()
    {
        using var store = Open();
        for (var i = 0; i < 10; i++)
        {
            store.Append("shop", Line($"a{i}", container: "a", at: TimeSpan.FromSeconds(i)));
            store.Append("shop", Line($"b{i}", container: "b", at: TimeSpan.FromSeconds(i) + TimeSpan.FromMilliseconds(1)));
        }

        var lines = await ReadAsync(store, new LogQuery { TailPerReplica = 2 });

        Assert.Equal(["a8", "b8", "a9", "b9"], lines.Select(l => l.Text));
    }

    [Fact]
    public void Query_Selects_SkipsSegmentsByIndex()
    {
        var segment = new LogSegment { File = "x", Number = 0 };
        segment.Add(Line("x", release: 3), 10);

        Assert.True(new LogQuery { Release = 3, Service = "web" }.Selects(segment));
        Assert.False(new LogQuery { Release = 4 }.Selects(segment));
        Assert.False(new LogQuery { Service = "worker" }.Selects(segment));
        Assert.False(new LogQuery { Since = _time.GetUtcNow().AddSeconds(1) }.Selects(segment));
        Assert.False(new LogQuery { Until = _time.GetUtcNow() }.Selects(segment));
    }

    [Fact]
    public async Task Reopen_CursorsComeBackFromTheIndexAndTheOpenSegment()
    {
        using (var store = Open(segmentBytes: 2048))
        {
            for (var i = 0; i < 60; i++)
            {
                store.Append("shop", Line($"line {i}", container: "a", at: TimeSpan.FromSeconds(i)));
            }
            // Two lines at exactly the same time: the cursor counts both.
            store.Append("shop", Line("same time 1", container: "b", at: TimeSpan.FromMinutes(2)));
            store.Append("shop", Line("same time 2", container: "b", at: TimeSpan.FromMinutes(2)));
        }

        using var reopened = Open(segmentBytes: 2048);
        Assert.Equal(new LogCursor(_time.GetUtcNow() + TimeSpan.FromSeconds(59), 1), reopened.CursorOf("shop", "a"));
        Assert.Equal(new LogCursor(_time.GetUtcNow() + TimeSpan.FromMinutes(2), 2), reopened.CursorOf("shop", "b"));
        Assert.Null(reopened.CursorOf("shop", "c"));
        Assert.Equal(62, (await ReadAsync(reopened, new LogQuery())).Count);
    }

    [Fact]
    public async Task Reopen_TornLastLine_CutAndLaterAppendsRead()
    {
        using (var store = Open())
        {
            store.Append("shop", Line("whole line"));
        }
        var open = Assert.Single(Directory.GetFiles(AppDirectory, "*.ndjson"));
        File.AppendAllText(open, "{\"t\":1234,\"s\":\"web\",\"r\":\"shop-w");

        using var reopened = Open();
        reopened.Append("shop", Line("after the crash", at: TimeSpan.FromSeconds(1)));

        Assert.Equal(["whole line", "after the crash"], (await ReadAsync(reopened, new LogQuery())).Select(l => l.Text));
    }

    [Fact]
    public async Task Reopen_CrashBetweenSealAndDelete_NoLineTwice()
    {
        using (var store = Open())
        {
            store.Append("shop", Line("one"));
            store.Append("shop", Line("two", at: TimeSpan.FromSeconds(1)));
        }
        // What a seal leaves when it dies after the compressed file was renamed into place, before the index and the delete.
        var open = Assert.Single(Directory.GetFiles(AppDirectory, "*.ndjson"));
        using (var output = File.Create(open + ".gz"))
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        using (var input = File.OpenRead(open))
        {
            input.CopyTo(gzip);
        }
        File.Delete(Path.Combine(AppDirectory, LogStore.IndexFileName));
        File.WriteAllText(Path.Combine(AppDirectory, LogStore.IndexFileName) + ".tmp", "{");

        using var reopened = Open();
        // The open file is kept as the open segment and its sealed twin is read too: the query must still show each line once
        // (the sealed twin wins and the open file goes).
        var lines = await ReadAsync(reopened, new LogQuery());

        Assert.Equal(["one", "two"], lines.Select(l => l.Text));
        Assert.False(File.Exists(open));
    }

    [Fact]
    public async Task Retention_BySize_OldestSegmentsGoFirst()
    {
        using var store = Open(maxBytes: 3000, segmentBytes: 2048);
        for (var i = 0; i < 400; i++)
        {
            store.Append("shop", Line($"{i:D4} {Guid.NewGuid()}", at: TimeSpan.FromSeconds(i)));
        }
        store.Flush();

        var totals = store.Totals();
        var lines = await ReadAsync(store, new LogQuery());

        Assert.True(totals.Bytes <= 3000 + 2048 + 200, $"{totals.Bytes} bytes kept");
        Assert.Equal("0399", lines[^1].Text[..4]);
        Assert.NotEqual("0000", lines[0].Text[..4]);
        // What is kept is a contiguous newest part.
        var first = int.Parse(lines[0].Text[..4], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(first, 400 - first).Select(i => i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)), lines.Select(l => l.Text[..4]));
    }

    [Fact]
    public async Task Retention_ByAge_SegmentsGoWhenTheirNewestLineComesOfAge()
    {
        using var store = Open(maxAge: TimeSpan.FromDays(2));
        store.Append("shop", Line("day one"));
        _time.Advance(TimeSpan.FromDays(1));
        store.Append("shop", Line("day two"));
        store.Flush();

        // The first day's segment comes of age a little after two days: the store's one timer deletes it then.
        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(2));
        Assert.Equal(["day two"], (await ReadAsync(store, new LogQuery())).Select(l => l.Text));

        _time.Advance(TimeSpan.FromDays(1));
        Assert.Empty(await ReadAsync(store, new LogQuery()));
        Assert.Equal(0, store.Totals().Segments);
    }

    [Fact]
    public void Append_OlderThanTheAgeLimit_NotKept()
    {
        using var store = Open(maxAge: TimeSpan.FromDays(1));

        Assert.False(store.Append("shop", Line("ancient", at: -TimeSpan.FromDays(2))));
        Assert.True(store.Append("shop", Line("recent", at: -TimeSpan.FromHours(2))));
    }

    [Fact]
    public async Task Follow_HistoryThenLiveLines_NoGapNoRepeat()
    {
        using var store = Open();
        store.Append("shop", Line("before"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<string>();
        await using var lines = store.ReadAsync("shop", new LogQuery { Grep = "e" }, follow: true, cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await lines.MoveNextAsync());
        seen.Add(lines.Current.Text);
        store.Append("shop", Line("from a replica that started later", service: "worker", container: "z", at: TimeSpan.FromSeconds(1)));
        store.Append("shop", Line("xyz", at: TimeSpan.FromSeconds(2)));
        store.Append("shop", Line("later", at: TimeSpan.FromSeconds(3)));
        Assert.True(await lines.MoveNextAsync());
        seen.Add(lines.Current.Text);
        Assert.True(await lines.MoveNextAsync());
        seen.Add(lines.Current.Text);

        Assert.Equal(["before", "from a replica that started later", "later"], seen);
    }

    [Fact]
    public void Cursor_Advance_CountsLinesOfTheSameTime()
    {
        var t = _time.GetUtcNow();
        var cursor = new LogCursor(t, 1).Advance(t).Advance(t.AddTicks(-1));

        Assert.Equal(new LogCursor(t, 2), cursor);
        Assert.Equal(new LogCursor(t.AddTicks(1), 1), cursor.Advance(t.AddTicks(1)));
        Assert.Equal(new LogCursor(t, 3), LogCursor.Merge(cursor, new LogCursor(t, 1)));
    }
}
