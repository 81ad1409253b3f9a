namespace Gantry.Server.Metrics;

/// <summary>
/// The metrics history kept in the data directory: <see cref="MetricsHistory"/> in memory, and its file at the edge.
/// Samples are appended to `metrics.log` (see <see cref="MetricsLog"/>) in one write per <see cref="MetricsOptions.FlushInterval"/>,
/// and only when new samples arrived: at rest there is no timer and no write. When the file grows past twice the
/// budget it is rewritten from memory (to a temporary file, then renamed over it), so it stays bounded.
/// </summary>
public sealed class MetricsStore : IDisposable
{
    public const string FileName = "metrics.log";

    /// <summary>Guards the history, the pending appends and the series numbers; never held across a disk write.</summary>
    private readonly Lock _lock = new();

    /// <summary>Guards the file: one flush or compaction at a time, taken before <see cref="_lock"/>.</summary>
    private readonly Lock _fileLock = new();
    private readonly MetricsOptions _options;
    private readonly TimeProvider _time;
    private readonly MetricsHistory _history;
    private readonly string _path;
    private readonly MemoryStream _pending = new();
    private readonly Dictionary<SeriesKey, uint> _ids = [];
    private readonly Dictionary<SeriesKey, CurrentValue> _current = [];
    private FileStream _file;
    private ITimer? _flush;
    private bool _disposed;

    public MetricsStore(MetricsOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time;
        _history = new MetricsHistory(options.BudgetBytes);
        Directory.CreateDirectory(options.Directory);
        _path = Path.Combine(options.Directory, FileName);
        _file = Load();
    }

    /// <summary>The byte budget the history (and so its file, between compactions) is kept within.</summary>
    public long BudgetBytes => _options.BudgetBytes;

    /// <summary>Series kept.</summary>
    public int SeriesCount
    {
        get
        {
            lock (_lock)
            {
                return _history.SeriesCount;
            }
        }
    }

    /// <summary>Points dropped to keep within the budget.</summary>
    public long Dropped
    {
        get
        {
            lock (_lock)
            {
                return _history.Dropped;
            }
        }
    }

    /// <summary>Records a sample; it reaches the file within one flush interval.</summary>
    public bool Record(SeriesKey key, MetricKind kind, DateTimeOffset at, double value)
    {
        lock (_lock)
        {
            return RecordLocked(key, kind, at, value);
        }
    }

    /// <summary>
    /// Records a sampler pass's samples, all taken at <paramref name="at"/>, as one change: a query sees all of them or
    /// none (a page drawn in the middle of a pass would show its request counts without its latencies, and the Apps page
    /// is not redrawn for the pass that completes it). Returns how many were kept.
    /// </summary>
    public int Record(IReadOnlyList<MetricSample> samples, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var kept = 0;
        lock (_lock)
        {
            foreach (var sample in samples)
            {
                kept += RecordLocked(sample.Key, sample.Kind, at, sample.Value) ? 1 : 0;
            }
        }
        return kept;
    }

    private bool RecordLocked(SeriesKey key, MetricKind kind, DateTimeOffset at, double value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_history.Record(key, kind, at, value, _time.GetUtcNow()))
        {
            return false;
        }
        MetricsLog.WriteSlot(_pending, Id(key, kind), at.ToUnixTimeSeconds(), value);
        // What /metrics exposes: a gauge's newest value, a counter's running total since this server started.
        _current[key] = new CurrentValue(kind, kind == MetricKind.Counter && _current.TryGetValue(key, out var before) ? before.Value + value : value, at);
        _flush ??= _time.CreateTimer(_ => Flush(), null, _options.FlushInterval, Timeout.InfiniteTimeSpan);
        return true;
    }

    /// <summary>
    /// Every series' current value, for Prometheus: a gauge's newest sample and a counter's total since the server started
    /// (Prometheus reads a restart's reset as one). Series not sampled for <paramref name="staleAfter"/> are left out
    /// (and forgotten: replicas come and go).
    /// </summary>
    public IReadOnlyList<(SeriesKey Key, CurrentValue Value)> Current(TimeSpan staleAfter)
    {
        lock (_lock)
        {
            var oldest = _time.GetUtcNow() - staleAfter;
            foreach (var stale in _current.Where(c => c.Value.At < oldest).Select(c => c.Key).ToList())
            {
                _current.Remove(stale);
            }
            return [.. _current.Select(c => (c.Key, c.Value))];
        }
    }

    /// <summary>See <see cref="MetricsHistory.Query"/>.</summary>
    public IReadOnlyList<MetricSeriesPoints> Query(string app, string? service, DateTimeOffset since, TimeSpan step)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _history.Expire(now);
            return _history.Query(app, service, since, step, now);
        }
    }

    /// <summary>
    /// Appends what arrived since the last flush, durably; does nothing (not even a write) when nothing did. The write and
    /// its fsync hold only the file's lock: samples and queries go on meanwhile (a page drawn while the disk is slow does not
    /// wait for it), and what they add waits for the next flush. Flushes run one at a time, so records reach the file in order.
    /// </summary>
    public void Flush()
    {
        lock (_fileLock)
        {
            byte[] appended;
            int length;
            lock (_lock)
            {
                _flush?.Dispose();
                _flush = null;
                if (_pending.Length == 0 || _disposed)
                {
                    return;
                }
                length = (int)_pending.Length;
                appended = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
                _pending.GetBuffer().AsSpan(0, length).CopyTo(appended);
                _pending.SetLength(0);
            }
            try
            {
                _file.Write(appended, 0, length);
                _file.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // As before the write left the lock: what was taken goes back in front of what arrived since, for the next flush.
                lock (_lock)
                {
                    var since = _pending.ToArray();
                    _pending.SetLength(0);
                    _pending.Write(appended, 0, length);
                    _pending.Write(since);
                }
                throw;
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(appended);
            }
            if (_file.Length > 2 * _options.BudgetBytes)
            {
                lock (_lock)
                {
                    Compact();
                }
            }
        }
    }

    public void Dispose()
    {
        Flush();
        lock (_fileLock)
        {
            lock (_lock)
            {
                _disposed = true;
                _flush?.Dispose();
                _flush = null;
                _file.Dispose();
            }
        }
    }

    /// <summary>Reads the file back, cuts a torn last record off, and opens the file for appending after the last whole one.</summary>
    private FileStream Load()
    {
        var data = File.Exists(_path) ? File.ReadAllBytes(_path) : [];
        var whole = MetricsLog.Read(data, _history);
        _history.Expire(_time.GetUtcNow());
        var file = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        if (whole < data.Length)
        {
            file.SetLength(whole);
            file.Flush(flushToDisk: true);
        }
        file.Seek(0, SeekOrigin.End);
        // Series numbers are the file's: the next appends name every series again before using one.
        return file;
    }

    /// <summary>
    /// Rewrites the file as the history stands: each series once, the minutes its slots cannot rebuild, its slots. Runs under
    /// both locks. Samples recorded since the last append are in the history, so the rewrite holds them and their pending
    /// records (which name series by the old file's numbers) are dropped.
    /// </summary>
    private void Compact()
    {
        _history.Expire(_time.GetUtcNow());
        _pending.SetLength(0);
        var temporary = _path + ".tmp";
        _ids.Clear();
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var series in _history.Series.Where(s => !s.IsEmpty))
            {
                var id = Id(series.Key, series.Kind, file);
                var firstSlot = series.Slots(long.MinValue).Select(p => (long?)p.At).FirstOrDefault();
                var through = firstSlot is { } at ? SeriesState.Floor(at, SeriesState.MinuteSeconds) : long.MaxValue;
                foreach (var minute in series.ClosedMinutesThrough(through))
                {
                    MetricsLog.WriteMinute(file, id, minute);
                }
                foreach (var slot in series.Slots(long.MinValue))
                {
                    MetricsLog.WriteSlot(file, id, slot.At, slot.Value);
                }
            }
            file.Flush(flushToDisk: true);
        }
        _file.Dispose();
        File.Move(temporary, _path, overwrite: true);
        _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    /// <summary>The series' number in the file, written as a series record (to the pending appends unless told otherwise) the first time.</summary>
    private uint Id(SeriesKey key, MetricKind kind, Stream? to = null)
    {
        if (!_ids.TryGetValue(key, out var id))
        {
            id = (uint)_ids.Count;
            _ids[key] = id;
            MetricsLog.WriteSeries(to ?? _pending, id, key, kind);
        }
        return id;
    }
}

/// <summary>A series' value now: a gauge's newest sample, or a counter's total since the server started.</summary>
public readonly record struct CurrentValue(MetricKind Kind, double Value, DateTimeOffset At);

