namespace Gantry.Server.Metrics;

/// <summary>One 10 s slot of a series: its start in unix seconds and its value (the last sample, or the sum for a counter).</summary>
internal readonly record struct RawPoint(long At, double Value);
