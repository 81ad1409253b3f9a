namespace Gantry.Cli.Output;

/// <summary>A series drawn in one line of block characters (▁▂▃▄▅▆▇█), lowest value to highest, a space for a gap.</summary>
public static class Sparkline
{
    private const string Blocks = "▁▂▃▄▅▆▇█";

    /// <summary>
    /// One character per value, scaled between the series' own minimum and maximum (the table beside it gives the
    /// numbers). A flat series is drawn at the bottom when it is zero and in the middle otherwise, so "nothing" and
    /// "steady" look different.
    /// </summary>
    public static string Render(IReadOnlyList<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var present = values.OfType<double>().ToList();
        if (present.Count == 0)
        {
            return new string(' ', values.Count);
        }
        var (min, max) = (present.Min(), present.Max());
        var chars = new char[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            chars[i] = values[i] switch
            {
                null => ' ',
                _ when max == min => min == 0 ? Blocks[0] : Blocks[Blocks.Length / 2 - 1],
                { } v => Blocks[(int)Math.Round((v - min) / (max - min) * (Blocks.Length - 1), MidpointRounding.AwayFromZero)],
            };
        }
        return new string(chars);
    }
}
