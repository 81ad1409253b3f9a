namespace Gantry.LoadGen;

/// <summary>
/// The figures of a load run, computed from its records only (no clock, no I/O), so every number
/// a bench prints can be checked by a unit test.
/// </summary>
public sealed class LoadReport
{
    /// <summary>How many failures <see cref="Failures"/> keeps.</summary>
    public const int FailureSampleSize = 20;

    private readonly RequestRecord[] _records;

    /// <summary>Builds a report from records in any order; they are sorted by start time.</summary>
    public LoadReport(IEnumerable<RequestRecord> records, IReadOnlyList<PhaseMark> marks, DateTimeOffset started, DateTimeOffset ended)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(marks);
        // OrderBy is stable: records with equal start times keep their arrival order.
        _records = records.OrderBy(r => r.Start).ToArray();
        Marks = marks;
        Started = started;
        Ended = ended < started ? started : ended;
        Served = _records.Count(r => r.Succeeded);
        Failures = _records.Where(r => !r.Succeeded).Take(FailureSampleSize).ToArray();
    }

    /// <summary>Every finished request, oldest start first.</summary>
    public IReadOnlyList<RequestRecord> Records => _records;

    /// <summary>The marks set during the run, in order.</summary>
    public IReadOnlyList<PhaseMark> Marks { get; }

    public DateTimeOffset Started { get; }

    public DateTimeOffset Ended { get; }

    public TimeSpan Elapsed => Ended - Started;

    /// <summary>Finished requests, successful or not.</summary>
    public int Total => _records.Length;

    /// <summary>Requests answered 2xx with their whole body.</summary>
    public int Served { get; }

    /// <summary>Requests answered non-2xx, timed out, or lost to a socket error.</summary>
    public int Failed => Total - Served;

    /// <summary>The first <see cref="FailureSampleSize"/> failures by start time, with status and error.</summary>
    public IReadOnlyList<RequestRecord> Failures { get; }

    /// <summary>Finished requests per second over the whole run.</summary>
    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Total / Elapsed.TotalSeconds : 0;

    /// <summary>Records whose phase passes <paramref name="phaseFilter"/> (all records when it is null).</summary>
    public IEnumerable<RequestRecord> InPhase(Func<string, bool>? phaseFilter) =>
        phaseFilter is null ? _records : _records.Where(r => phaseFilter(r.Phase));

    /// <summary>How many requests ran in the phases <paramref name="phaseFilter"/> accepts.</summary>
    public int Count(Func<string, bool>? phaseFilter) => InPhase(phaseFilter).Count();

    /// <summary>Failed requests in the phases <paramref name="phaseFilter"/> accepts.</summary>
    public int FailedIn(Func<string, bool>? phaseFilter) => InPhase(phaseFilter).Count(r => !r.Succeeded);

    /// <summary>
    /// The latency at <paramref name="quantile"/> (0..1, nearest rank) of every finished request,
    /// failures included, in the phases <paramref name="phaseFilter"/> accepts; null when there are none.
    /// </summary>
    public TimeSpan? Percentile(Func<string, bool>? phaseFilter, double quantile)
    {
        if (quantile is < 0 or > 1 || double.IsNaN(quantile))
        {
            throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "use a fraction between 0 and 1, e.g. 0.99");
        }
        var latencies = InPhase(phaseFilter).Select(r => r.Latency.Ticks).ToArray();
        if (latencies.Length == 0)
        {
            return null;
        }
        Array.Sort(latencies);
        var rank = (int)Math.Ceiling(quantile * latencies.Length);
        return TimeSpan.FromTicks(latencies[Math.Clamp(rank - 1, 0, latencies.Length - 1)]);
    }

    /// <summary>The latency at <paramref name="quantile"/> over the whole run.</summary>
    public TimeSpan? Percentile(double quantile) => Percentile(null, quantile);

    /// <summary>Successful requests per marker value (requests without a marker are not counted).</summary>
    public IReadOnlyDictionary<string, int> MarkerCounts(Func<string, bool>? phaseFilter = null) =>
        InPhase(phaseFilter)
            .Where(r => r.Succeeded && r.Marker is not null)
            .GroupBy(r => r.Marker!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Failed requests per error kind.</summary>
    public IReadOnlyDictionary<RequestErrorKind, int> FailuresByKind() =>
        _records.Where(r => !r.Succeeded).GroupBy(r => r.Error).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>
    /// Seconds from <paramref name="from"/> until the first instant after which every request that
    /// started (up to <paramref name="until"/>, when given) succeeded and carried <paramref name="marker"/>:
    /// the start of the last request from <paramref name="from"/> on that did not, or 0 when none.
    /// Null when no request started in the window, or when the last one there still lacked the marker
    /// (traffic never settled on it, so there is nothing to measure).
    /// </summary>
    /// <remarks>
    /// Requests are judged by when they started, not when they ended: one that started before a
    /// route swap and was answered by the old release afterwards was correctly routed.
    /// </remarks>
    public double? TimeUntilAllMarked(DateTimeOffset from, string marker, DateTimeOffset? until = null)
    {
        ArgumentNullException.ThrowIfNull(marker);
        var first = LowerBound(from);
        var end = until is { } u ? LowerBound(u) : _records.Length;
        if (first >= end)
        {
            return null;
        }
        var lastUnmarked = -1;
        for (var i = end - 1; i >= first; i--)
        {
            if (!Carries(_records[i], marker))
            {
                lastUnmarked = i;
                break;
            }
        }
        if (lastUnmarked < 0)
        {
            return 0;
        }
        if (lastUnmarked == end - 1)
        {
            return null;
        }
        return (_records[lastUnmarked].Start - from).TotalSeconds;
    }

    private static bool Carries(in RequestRecord record, string marker) =>
        record.Succeeded && string.Equals(record.Marker, marker, StringComparison.Ordinal);

    /// <summary>Index of the first record starting at or after <paramref name="time"/>.</summary>
    private int LowerBound(DateTimeOffset time)
    {
        int low = 0, high = _records.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_records[mid].Start < time)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }
}
