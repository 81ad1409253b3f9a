namespace Gantry.Server.Logs;

/// <summary>
/// Which segments go to keep the store within its age and size (pure): every segment whose newest line is older than the
/// age limit, then the oldest sealed segments (by their newest line) until the rest fit in the size limit. An open
/// segment goes only by age: it is bounded by the segment size and holds the lines being written now.
/// </summary>
public static class LogRetention
{
    public static IReadOnlyList<(string App, LogSegment Segment)> Plan(IReadOnlyList<(string App, LogSegment Segment)> segments, DateTimeOffset now, long maxBytes, TimeSpan maxAge)
    {
        var oldest = now - maxAge;
        var drop = segments.Where(s => s.Segment.Lines == 0 || s.Segment.Last < oldest).ToList();
        var total = segments.Sum(s => s.Segment.Bytes) - drop.Sum(s => s.Segment.Bytes);
        foreach (var candidate in segments.Where(s => s.Segment.Sealed && !drop.Contains(s)).OrderBy(s => s.Segment.Last).ThenBy(s => s.Segment.Number))
        {
            if (total <= maxBytes)
            {
                break;
            }
            drop.Add(candidate);
            total -= candidate.Segment.Bytes;
        }
        return drop;
    }

    /// <summary>When the next segment comes of age (its newest line plus the age limit); null with nothing stored.</summary>
    public static DateTimeOffset? NextExpiry(IEnumerable<LogSegment> segments, TimeSpan maxAge) =>
        segments.Where(s => s.Lines > 0).Select(s => (DateTimeOffset?)(s.Last + maxAge)).Min();
}
