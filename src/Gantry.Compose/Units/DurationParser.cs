using System.Globalization;

namespace Gantry.Compose.Units;

/// <summary>Parses compose durations in Go's syntax ("1m30s", "10s", "500ms", "1h", "2.5s", "1us"); a plain number is seconds.</summary>
internal static class DurationParser
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var s = text.Trim();
        if (s.Length == 0)
        {
            return false;
        }
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            // compose-go reads a bare number as seconds.
            if (plain < 0)
            {
                return false;
            }
            value = TimeSpan.FromSeconds(plain);
            return true;
        }
        double totalTicks = 0;
        var pos = 0;
        while (pos < s.Length)
        {
            var start = pos;
            while (pos < s.Length && (char.IsAsciiDigit(s[pos]) || s[pos] == '.'))
            {
                pos++;
            }
            if (start == pos || !double.TryParse(s[start..pos], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }
            var unitStart = pos;
            while (pos < s.Length && !char.IsAsciiDigit(s[pos]) && s[pos] != '.')
            {
                pos++;
            }
            double? ticksPerUnit = s[unitStart..pos] switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "us" or "µs" => 10,
                "ns" => 0.01,
                _ => null,
            };
            if (ticksPerUnit is null)
            {
                return false;
            }
            totalTicks += number * ticksPerUnit.Value;
        }
        value = TimeSpan.FromTicks((long)Math.Round(totalTicks));
        return true;
    }
}
