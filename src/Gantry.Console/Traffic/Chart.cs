namespace Gantry.Console.Traffic;

/// <summary>One chart of the Metrics page: lines over the same steps, a common scale from 0 to <see cref="Max"/>, and release markers.</summary>
/// <param name="Unit">What a value is, for the axis ("req/s", "ms", "% of limit", "MiB").</param>
public sealed record Chart(string Title, string Unit, double Max, IReadOnlyList<ChartLine> Lines, IReadOnlyList<ChartMarker> Markers, DateTimeOffset Start, DateTimeOffset End)
{
    public bool Empty => Lines.All(l => l.Values.All(v => v is null));
}

/// <summary>One line of a <see cref="Chart"/>, by step; null is a gap.</summary>
public sealed record ChartLine(string Label, IReadOnlyList<double?> Values);

/// <summary>A release on a chart's timeline, <see cref="Position"/> from 0 (the window's start) to 1 (now).</summary>
public sealed record ChartMarker(double Position, string Label);
