using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Logs;

/// <summary>
/// The replicas' logs kept in the data directory (`logs/APP/`), so they outlive the containers that wrote them. Each app
/// has one open segment (NDJSON, appended) and sealed ones (the same lines, gzip-compressed) listed with their time span,
/// services, releases and container cursors in the app's `index.json`; a query opens only the segments its filters can
/// match. Lines wait in memory and are appended in one write per <see cref="LogStoreOptions.FlushInterval"/>, and only
/// when lines arrived: at rest there is no timer and no write. Retention (size and age) runs when a segment is sealed and
/// when the oldest segment comes of age (one timer at that moment, none with nothing stored). Reading the folder back after
/// a crash is in LogStore.Recovery.cs. About 500 lines: the file layout, appends, seals, retention and the readers share
/// one lock and are easiest to check side by side.
/// </summary>
public sealed partial class LogStore : IDisposable
{
    public const string IndexFileName = "index.json";

    private const string OpenSuffix = ".ndjson";
    private const string SealedSuffix = ".ndjson.gz";

    private readonly Lock _lock = new();
    private readonly LogStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, AppSegments> _apps = new(StringComparer.Ordinal);
    private readonly List<Follower> _followers = [];
    private ITimer? _flush;
    private ITimer? _expiry;
    private DateTimeOffset? _expiryAt;
    private bool _disposed;

    public LogStore(LogStoreOptions options, TimeProvider time, ILogger<LogStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Directory.CreateDirectory(options.Directory);
        lock (_lock)
        {
            Load();
            Retain();
        }
    }

    public LogStoreOptions Options => _options;

    /// <summary>Appends to segment files so far (each one write of the lines that waited, and one flush to disk).</summary>
    public long FileWrites { get; private set; }

    /// <summary>Lines dropped for followers that fell more than <see cref="LogStoreOptions.FollowerBuffer"/> behind.</summary>
    public long DroppedForFollowers { get; private set; }

    /// <summary>What is stored now: apps, segments, bytes on disk, and lines.</summary>
    public (int Apps, int Segments, long Bytes, long Lines) Totals()
    {
        lock (_lock)
        {
            var segments = AllSegments().Select(s => s.Segment).ToList();
            return (_apps.Values.Count(a => a.Segments.Any()), segments.Count, segments.Sum(s => s.Bytes), segments.Sum(s => s.Lines));
        }
    }

    /// <summary>Whether any line of <paramref name="app"/> is kept.</summary>
    public bool Has(string app)
    {
        lock (_lock)
        {
            return _apps.TryGetValue(app, out var a) && a.Segments.Any(s => s.Lines > 0);
        }
    }

    /// <summary>How far the container's output was collected, or null when nothing of it is kept.</summary>
    public LogCursor? CursorOf(string app, string container)
    {
        lock (_lock)
        {
            return _apps.TryGetValue(app, out var a) && a.Cursors.TryGetValue(container, out var cursor) ? cursor : null;
        }
    }

    /// <summary>
    /// Keeps a line: it reaches the file within one flush interval and every follower of the app at once. A line older than
    /// the age limit is not kept (false): it would be deleted at once.
    /// </summary>
    public bool Append(string app, StoredLogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (line.Time < _time.GetUtcNow() - _options.MaxAge)
            {
                return false;
            }
            if (!_apps.TryGetValue(app, out var a))
            {
                a = new AppSegments(app, Path.Combine(_options.Directory, app));
                _apps[app] = a;
            }
            if (a.Open is { } open && (DateOnly.FromDateTime(line.Time.UtcDateTime) > open.Day || open.Bytes >= _options.SegmentBytes))
            {
                Seal(a);
                Retain();
            }
            if (a.Open is null)
            {
                var number = a.NextNumber++;
                a.Open = new LogSegment { File = Name(line.Time, number) + OpenSuffix, Number = number };
            }
            var bytes = LogRecord.Write(a.Pending, line);
            a.Open.Add(line, bytes);
            a.Cursors[line.Container] = a.Cursors.TryGetValue(line.Container, out var cursor) ? cursor.Advance(line.Time) : new LogCursor(line.Time, 1);
            foreach (var follower in _followers)
            {
                if (follower.App == app && follower.Query.Matches(line) && !follower.Lines.Writer.TryWrite(line))
                {
                    DroppedForFollowers++;
                }
            }
            _flush ??= _time.CreateTimer(_ => Flush(), null, _options.FlushInterval, Timeout.InfiniteTimeSpan);
            if (_expiryAt is null)
            {
                ArmExpiry();
            }
            return true;
        }
    }

    /// <summary>Appends every app's waiting lines, durably; does nothing (not even a write) when none wait.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            _flush?.Dispose();
            _flush = null;
            if (_disposed)
            {
                return;
            }
            foreach (var a in _apps.Values)
            {
                TryWritePending(a);
            }
        }
    }

    /// <summary>
    /// The app's matching lines, oldest first (within a segment; segments in the order they were written), then with
    /// <paramref name="follow"/> every matching line collected after the call, until <paramref name="ct"/> is cancelled.
    /// The history and the live lines meet without a gap or a repeat: both are taken under the store's lock at the first
    /// read. Files a query opened stay readable even if retention deletes them meanwhile. <see cref="LogQuery.Replicas"/> and
    /// the tail narrow the history only: a follower gets every matching line, from replicas that start later too.
    /// </summary>
    public async IAsyncEnumerable<StoredLogLine> ReadAsync(string app, LogQuery query, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sources = new List<(LogSegment Segment, Stream Stream, long Length)>();
        Follower? follower = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_apps.TryGetValue(app, out var a))
            {
                TryWritePending(a);
                foreach (var segment in a.Segments.Where(query.Selects))
                {
                    try
                    {
                        var stream = new FileStream(Path.Combine(a.Directory, segment.File), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                        sources.Add((segment, stream, segment.Sealed ? stream.Length : Math.Min(stream.Length, segment.RawBytes)));
                    }
                    catch (IOException e)
                    {
                        LogUnreadable(_logger, app, segment.File, e.Message);
                    }
                }
            }
            if (follow)
            {
                follower = new Follower(app, query with { Replicas = null, TailPerReplica = null }, Channel.CreateBounded<StoredLogLine>(new BoundedChannelOptions(_options.FollowerBuffer)
                {
                    FullMode = BoundedChannelFullMode.DropWrite,
                    SingleReader = true,
                }));
                _followers.Add(follower);
            }
        }
        try
        {
            var tails = query.TailPerReplica is { } tail ? new Dictionary<string, Queue<StoredLogLine>>(StringComparer.Ordinal) : null;
            foreach (var (segment, stream, length) in sources)
            {
                var lines = new List<StoredLogLine>();
                foreach (var line in await ReadSegmentAsync(stream, segment.Sealed, length, ct).ConfigureAwait(false))
                {
                    if (query.Matches(line))
                    {
                        lines.Add(line);
                    }
                }
                if (tails is not null)
                {
                    foreach (var line in lines)
                    {
                        var kept = tails.TryGetValue(line.Replica, out var queue) ? queue : tails[line.Replica] = new Queue<StoredLogLine>();
                        kept.Enqueue(line);
                        if (kept.Count > query.TailPerReplica)
                        {
                            kept.Dequeue();
                        }
                    }
                    continue;
                }
                foreach (var line in lines.OrderBy(l => l.Time))
                {
                    yield return line;
                }
            }
            if (tails is not null)
            {
                foreach (var line in tails.Values.SelectMany(q => q).OrderBy(l => l.Time))
                {
                    yield return line;
                }
            }
            if (follower is not null)
            {
                await foreach (var line in follower.Lines.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    yield return line;
                }
            }
        }
        finally
        {
            foreach (var (_, stream, _) in sources)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            if (follower is not null)
            {
                lock (_lock)
                {
                    _followers.Remove(follower);
                }
            }
        }
    }

    /// <summary>Applies the size and age limits now (what a seal and the expiry timer do).</summary>
    public void ApplyRetention()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                Retain();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            foreach (var a in _apps.Values)
            {
                TryWritePending(a);
                a.File?.Dispose();
                a.File = null;
            }
            _flush?.Dispose();
            _expiry?.Dispose();
            foreach (var follower in _followers)
            {
                follower.Lines.Writer.TryComplete();
            }
            _disposed = true;
        }
    }

    private static async Task<List<StoredLogLine>> ReadSegmentAsync(Stream file, bool compressed, long length, CancellationToken ct)
    {
        using var data = new MemoryStream();
        if (compressed)
        {
            await using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            await gzip.CopyToAsync(data, ct).ConfigureAwait(false);
        }
        else
        {
            var buffer = new byte[length];
            await file.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
            data.Write(buffer);
        }
        return Lines(data.GetBuffer().AsSpan(0, (int)data.Length), out _);
    }

    /// <summary>Every whole record in <paramref name="data"/>; <paramref name="whole"/> is the length up to the last one's newline.</summary>
    private static List<StoredLogLine> Lines(ReadOnlySpan<byte> data, out long whole)
    {
        var lines = new List<StoredLogLine>();
        whole = 0;
        var at = 0;
        while (at < data.Length)
        {
            var end = data[at..].IndexOf((byte)'\n');
            if (end < 0)
            {
                break;
            }
            if (LogRecord.Read(data.Slice(at, end)) is { } line)
            {
                lines.Add(line);
            }
            at += end + 1;
            whole = at;
        }
        return lines;
    }

    private static string Name(DateTimeOffset time, int number) =>
        time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + number.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Writes the app's waiting lines to its open segment and flushes them to disk; a failure (a full disk) keeps them waiting.</summary>
    private void TryWritePending(AppSegments a)
    {
        if (a.Pending.WrittenCount == 0 || a.Open is null)
        {
            return;
        }
        try
        {
            Directory.CreateDirectory(a.Directory);
            a.File ??= new FileStream(Path.Combine(a.Directory, a.Open.File), FileMode.Append, FileAccess.Write, FileShare.Read);
            a.File.Write(a.Pending.WrittenSpan);
            a.File.Flush(flushToDisk: true);
            a.Pending.Clear();
            FileWrites++;
        }
        catch (IOException e)
        {
            LogWriteFailed(_logger, a.Name, e.Message);
            _flush ??= _time.CreateTimer(_ => Flush(), null, _options.FlushInterval, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Compresses the app's open segment into its sealed form, indexes it, and removes the open file.</summary>
    private void Seal(AppSegments a)
    {
        if (a.Open is not { } open)
        {
            return;
        }
        TryWritePending(a);
        a.File?.Dispose();
        a.File = null;
        var plain = Path.Combine(a.Directory, open.File);
        var sealedName = open.File[..^OpenSuffix.Length] + SealedSuffix;
        var target = Path.Combine(a.Directory, sealedName);
        try
        {
            long compressed;
            using (var input = new FileStream(plain, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var output = new FileStream(target + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None))
            {
                using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
                {
                    input.CopyTo(gzip);
                }
                output.Flush(flushToDisk: true);
                compressed = output.Length;
            }
            File.Move(target + ".tmp", target, overwrite: true);
            a.Sealed.Add(new LogSegment
            {
                File = sealedName, Number = open.Number, First = open.First, Last = open.Last, Lines = open.Lines, Bytes = compressed,
                RawBytes = open.RawBytes, Sealed = true, Services = open.Services, Releases = open.Releases, Containers = open.Containers,
            });
            a.Open = null;
            WriteIndex(a);
            File.Delete(plain);
        }
        catch (IOException e)
        {
            // The open file stays as it was and is still read; the next seal tries again.
            LogWriteFailed(_logger, a.Name, e.Message);
        }
    }

    private static void WriteIndex(AppSegments a)
    {
        var path = Path.Combine(a.Directory, IndexFileName);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, new LogIndex(a.Sealed), LogIndexJsonContext.Default.LogIndex);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private IEnumerable<(string App, LogSegment Segment)> AllSegments() =>
        _apps.Values.SelectMany(a => a.Segments.Select(s => (a.Name, s)));

    /// <summary>Deletes what the limits say must go and sets the timer for the next segment to come of age.</summary>
    private void Retain()
    {
        var plan = LogRetention.Plan([.. AllSegments()], _time.GetUtcNow(), _options.MaxBytes, _options.MaxAge);
        foreach (var group in plan.GroupBy(p => p.App))
        {
            var a = _apps[group.Key];
            foreach (var (_, segment) in group)
            {
                if (ReferenceEquals(segment, a.Open))
                {
                    a.File?.Dispose();
                    a.File = null;
                    a.Open = null;
                    a.Pending.Clear();
                }
                a.Sealed.Remove(segment);
                TryDelete(Path.Combine(a.Directory, segment.File));
            }
            try
            {
                WriteIndex(a);
            }
            catch (IOException e)
            {
                LogWriteFailed(_logger, a.Name, e.Message);
            }
        }
        if (plan.Count > 0)
        {
            LogRetained(_logger, plan.Count, plan.Sum(p => p.Segment.Bytes));
        }
        ArmExpiry();
    }

    private void ArmExpiry()
    {
        var next = LogRetention.NextExpiry(AllSegments().Select(s => s.Segment), _options.MaxAge);
        if (next == _expiryAt)
        {
            return;
        }
        _expiry?.Dispose();
        _expiry = null;
        _expiryAt = next;
        if (next is { } at)
        {
            var due = at - _time.GetUtcNow() + TimeSpan.FromSeconds(1);
            _expiry = _time.CreateTimer(_ => ApplyRetention(), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>One app's segments, its open file and the lines waiting for it, and its containers' cursors.</summary>
    private sealed class AppSegments(string name, string directory)
    {
        public string Name { get; } = name;

        public string Directory { get; } = directory;

        public List<LogSegment> Sealed { get; } = [];

        public LogSegment? Open { get; set; }

        public FileStream? File { get; set; }

        public ArrayBufferWriter<byte> Pending { get; } = new();

        /// <summary>Kept when retention deletes the segments: a reader that resumes later still skips what was collected.</summary>
        public Dictionary<string, LogCursor> Cursors { get; } = new(StringComparer.Ordinal);

        public int NextNumber { get; set; }

        public IEnumerable<LogSegment> Segments => Open is null ? Sealed : Sealed.Append(Open);
    }

    private sealed record Follower(string App, LogQuery Query, Channel<StoredLogLine> Lines);

    [LoggerMessage(Level = LogLevel.Warning, Message = "log store: could not write the logs of '{App}' ({Error}); the lines wait in memory and are tried again")]
    private static partial void LogWriteFailed(ILogger logger, string app, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "log store: '{App}' {File} could not be read ({Error}); left out")]
    private static partial void LogUnreadable(ILogger logger, string app, string file, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "log store: {Segments} segments ({Bytes} bytes) deleted by the retention limits")]
    private static partial void LogRetained(ILogger logger, int segments, long bytes);
}
