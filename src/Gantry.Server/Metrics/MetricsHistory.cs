namespace Gantry.Server.Metrics;

/// <summary>
/// The metrics history in memory, without I/O: series of 10 s slots kept for <see cref="SlotRetention"/> and minutes
/// kept for <see cref="MinuteRetention"/>, within a byte budget counted as both tiers would cost on disk (an upper bound
/// of the file after a compaction, which leaves out the minutes its slots rebuild). Over the
/// budget the oldest point of any series goes first, and <see cref="Dropped"/> counts them, so a full budget loses
/// history at its old end and says so instead of refusing new samples.
/// </summary>
public sealed class MetricsHistory(long budgetBytes)
{
    public static readonly TimeSpan SlotRetention = TimeSpan.FromHours(24);
    public static readonly TimeSpan MinuteRetention = TimeSpan.FromDays(14);

    /// <summary>The longest part of a series key in bytes; longer names are refused (the file stores lengths in two bytes).</summary>
    public const int MaxNameBytes = 1024;

    private readonly Dictionary<SeriesKey, SeriesState> _series = [];

    /// <summary>The history's size as the file would hold it with every point of both tiers written.</summary>
    public long Bytes { get; private set; }

    /// <summary>Points dropped to keep within the budget (retention's expiry is not counted: it is the plan).</summary>
    public long Dropped { get; private set; }

    /// <summary>Samples refused: too old, late for a closed slot, not a finite number, or a name too long.</summary>
    public long Rejected { get; private set; }

    public int SeriesCount => _series.Count;

    /// <summary>Adds a sample taken at <paramref name="at"/>; false when it was refused (see <see cref="Rejected"/>).</summary>
    public bool Record(SeriesKey key, MetricKind kind, DateTimeOffset at, double value, DateTimeOffset now)
    {
        if (!double.IsFinite(value) || at < now - SlotRetention || TooLong(key))
        {
            Rejected++;
            return false;
        }
        var series = Declare(key, kind);
        var added = Change(series, s => s.Add(at.ToUnixTimeSeconds(), value));
        if (!added)
        {
            Rejected++;
        }
        Change(series, s => Prune(s, now));
        KeepWithinBudget();
        return added;
    }

    /// <summary>
    /// Closes what time has passed and drops what retention and the budget no longer keep, in every series: after a
    /// load, and before a query or a compaction so neither sees an expired point.
    /// </summary>
    public void Expire(DateTimeOffset now)
    {
        foreach (var series in _series.Values)
        {
            Change(series, s => Prune(s, now));
        }
        KeepWithinBudget();
    }

    /// <summary>
    /// An app's series (optionally one service's) from <paramref name="since"/>, in steps of <paramref name="step"/>.
    /// Steps under a minute read the 10 s slots, which exist only for the last 24 h; longer steps, or an older start,
    /// read the minutes.
    /// </summary>
    public IReadOnlyList<MetricSeriesPoints> Query(string app, string? service, DateTimeOffset since, TimeSpan step, DateTimeOffset now)
    {
        var stepSeconds = Math.Max(SeriesState.SlotSeconds, (long)step.TotalSeconds);
        var fromSlots = stepSeconds < SeriesState.MinuteSeconds && since >= now - SlotRetention;
        var from = since.ToUnixTimeSeconds();
        return _series.Values
            .Where(s => s.Key.App == app && (service is null || s.Key.Service == service))
            .OrderBy(s => s.Key.Service, StringComparer.Ordinal).ThenBy(s => s.Key.Replica, StringComparer.Ordinal).ThenBy(s => s.Key.Metric, StringComparer.Ordinal)
            .Select(s =>
            {
                var buckets = fromSlots ? s.Slots(from).Select(p => Bucket.Of(p.At, p.Value)) : s.Minutes(from);
                var points = new List<MetricPoint>();
                Bucket? current = null;
                foreach (var bucket in buckets)
                {
                    var start = SeriesState.Floor(bucket.Start, (int)stepSeconds);
                    if (current is { } open && open.Start == start)
                    {
                        current = open.Merge(bucket);
                        continue;
                    }
                    if (current is { } done)
                    {
                        points.Add(done.ToPoint());
                    }
                    current = bucket with { Start = start };
                }
                if (current is { } last)
                {
                    points.Add(last.ToPoint());
                }
                return new MetricSeriesPoints(s.Key, s.Kind, points);
            })
            .Where(s => s.Points.Count > 0)
            .ToList();
    }

    /// <summary>The series as they stand, for a compaction to write.</summary>
    internal IEnumerable<SeriesState> Series => _series.Values;

    /// <summary>The series, created on first use (its kind is fixed then).</summary>
    internal SeriesState Declare(SeriesKey key, MetricKind kind)
    {
        if (!_series.TryGetValue(key, out var series))
        {
            series = new SeriesState(key, kind);
            _series[key] = series;
            Bytes += MetricsLog.SeriesBytes(key);
        }
        return series;
    }

    /// <summary>A sample read back from the file: added as it was recorded, without expiry (run once after the load).</summary>
    internal void Replay(SeriesKey key, long at, double value)
    {
        if (_series.TryGetValue(key, out var series))
        {
            Change(series, s => s.Add(at, value));
        }
    }

    internal void RestoreMinute(SeriesKey key, Bucket minute)
    {
        if (_series.TryGetValue(key, out var series))
        {
            Change(series, s =>
            {
                s.RestoreMinute(minute);
                return true;
            });
        }
    }

    private static bool Prune(SeriesState series, DateTimeOffset now)
    {
        series.Prune(now.ToUnixTimeSeconds(), (now - SlotRetention).ToUnixTimeSeconds(), (now - MinuteRetention).ToUnixTimeSeconds());
        return true;
    }

    /// <summary>Runs a change on one series and keeps <see cref="Bytes"/> in step with what it added or removed.</summary>
    private bool Change(SeriesState series, Func<SeriesState, bool> change)
    {
        var before = Cost(series);
        var result = change(series);
        Bytes += Cost(series) - before;
        return result;
    }

    private void KeepWithinBudget()
    {
        while (Bytes > budgetBytes)
        {
            var oldest = _series.Values.Where(s => !s.IsEmpty).MinBy(s => s.OldestStart);
            if (oldest is null)
            {
                return;
            }
            Change(oldest, s =>
            {
                s.DropOldest();
                return true;
            });
            Dropped++;
        }
    }

    private static long Cost(SeriesState series) =>
        (long)series.RawCount * MetricsLog.SlotBytes + (long)series.MinuteCount * MetricsLog.MinuteBytes;

    private static bool TooLong(SeriesKey key) =>
        new[] { key.App, key.Service, key.Replica, key.Metric }.Any(s => System.Text.Encoding.UTF8.GetByteCount(s) > MaxNameBytes);
}
