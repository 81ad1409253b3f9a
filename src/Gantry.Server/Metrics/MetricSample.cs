namespace Gantry.Server.Metrics;

/// <summary>One figure of one sampling pass, before it is recorded: which series, how it combines, and its value now.</summary>
public readonly record struct MetricSample(SeriesKey Key, MetricKind Kind, double Value);
