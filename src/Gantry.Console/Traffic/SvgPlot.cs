using System.Globalization;
using System.Text;

namespace Gantry.Console.Traffic;

/// <summary>
/// Values laid out as SVG polyline points in a width × height box (0 at the bottom, <c>max</c> at the top), one polyline
/// per unbroken run, so a gap in the history is a gap in the line. Only numbers come out: safe to write into the page.
/// </summary>
public static class SvgPlot
{
    public static IReadOnlyList<string> Segments(IReadOnlyList<double?> values, double width, double height, double max)
    {
        ArgumentNullException.ThrowIfNull(values);
        var segments = new List<string>();
        if (values.Count == 0)
        {
            return segments;
        }
        var dx = values.Count > 1 ? width / (values.Count - 1) : 0;
        var top = max > 0 ? max : 1;
        var current = new StringBuilder();
        var points = 0;
        for (var i = 0; i <= values.Count; i++)
        {
            if (i < values.Count && values[i] is { } v)
            {
                var y = height - (Math.Clamp(v, 0, top) / top * height);
                Append(current, i * dx, y);
                points++;
                continue;
            }
            if (points == 1)
            {
                // A lone point is drawn as a short dash, or it would not show at all.
                var only = current.ToString().Split(',');
                var x = double.Parse(only[0], CultureInfo.InvariantCulture);
                current.Clear();
                Append(current, Math.Max(0, x - 1.5), double.Parse(only[1], CultureInfo.InvariantCulture));
                Append(current, Math.Min(width, x + 1.5), double.Parse(only[1], CultureInfo.InvariantCulture));
            }
            if (points > 0)
            {
                segments.Add(current.ToString());
            }
            current.Clear();
            points = 0;
        }
        return segments;
    }

    /// <summary>A round top for an axis: 1, 2 or 5 times a power of ten at or above <paramref name="value"/> (1 for nothing).</summary>
    public static double NiceMax(double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1.0, 2.0, 5.0, 10.0 })
        {
            if (step * power >= value)
            {
                return step * power;
            }
        }
        return 10 * power;
    }

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static void Append(StringBuilder points, double x, double y)
    {
        if (points.Length > 0)
        {
            points.Append(' ');
        }
        points.Append(Number(x)).Append(',').Append(Number(y));
    }
}
