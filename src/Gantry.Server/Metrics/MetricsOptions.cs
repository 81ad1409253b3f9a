namespace Gantry.Server.Metrics;

/// <summary>Where and how much metrics history the server keeps.</summary>
public sealed record MetricsOptions
{
    /// <summary>The folder of the metrics file, inside the server's data directory.</summary>
    public required string Directory { get; init; }

    /// <summary>
    /// The most history kept, in bytes as stored; the oldest points go first beyond it. A series' full history (a day of
    /// 10 s slots and two weeks of minutes) is about 1.3 MB, so the default holds about 200 series in full.
    /// </summary>
    public long BudgetBytes { get; init; } = 256L << 20;

    /// <summary>How long new samples wait in memory before they are appended together: one write per interval, and none when nothing arrived.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(10);
}
