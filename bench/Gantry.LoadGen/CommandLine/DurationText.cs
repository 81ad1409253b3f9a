using System.Globalization;

namespace Gantry.LoadGen.CommandLine;

/// <summary>Parses durations written the way people type them: 500ms, 30s, 2m, 1h, or bare seconds.</summary>
public static class DurationText
{
    /// <summary>The duration <paramref name="text"/> stands for, or null when it is not one.</summary>
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var value = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (value.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(value[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && number >= 0)
            {
                return TimeSpan.FromSeconds(number * seconds);
            }
        }
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare) && bare >= 0
            ? TimeSpan.FromSeconds(bare)
            : null;
    }
}
