namespace Gantry.Server.Metrics;

/// <summary>
/// The aggregate of the values in one span of time (a minute, or a query step), starting at <see cref="Start"/> in unix
/// seconds. Min, max, sum, count and last merge exactly, so a step of minutes is the same as a step of their slots.
/// </summary>
internal readonly record struct Bucket(long Start, double Min, double Max, double Sum, int Count, double Last)
{
    public static Bucket Of(long start, double value) => new(start, value, value, value, 1, value);

    /// <summary>This span with a later one's values folded in (a later value's last wins).</summary>
    public Bucket Merge(Bucket later) =>
        new(Start, Math.Min(Min, later.Min), Math.Max(Max, later.Max), Sum + later.Sum, Count + later.Count, later.Last);

    public MetricPoint ToPoint() => new(DateTimeOffset.FromUnixTimeSeconds(Start), Min, Max, Sum / Count, Last, Sum, Count);
}
