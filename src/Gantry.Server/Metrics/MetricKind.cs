namespace Gantry.Server.Metrics;

/// <summary>How samples of a series combine when several fall in one slot or minute.</summary>
public enum MetricKind : byte
{
    /// <summary>A level (CPU use, memory, p95): a slot keeps its last sample, a minute its min, max, average and last.</summary>
    Gauge = 1,
    /// <summary>An amount per interval (requests, errors): samples in one slot add up, and a minute's sum is what matters.</summary>
    Counter = 2,
}
