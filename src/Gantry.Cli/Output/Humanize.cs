using System.Globalization;

namespace Gantry.Cli.Output;

/// <summary>Short human forms of byte sizes, durations and CPU amounts, as tables and progress lines show them.</summary>
public static class Humanize
{
    private static readonly string[] s_units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>"512 B", "1.5 KiB", "128 MiB", "12 GiB": one decimal below 10, whole numbers above.</summary>
    public static string Bytes(long bytes)
    {
        if (bytes < 0)
        {
            return "-" + Bytes(-bytes);
        }
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < s_units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        var text = unit == 0 || value >= 10 || value == Math.Floor(value)
            ? Math.Round(value).ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("0.#", CultureInfo.InvariantCulture);
        return $"{text} {s_units[unit]}";
    }

    /// <summary>"45s", "3m", "2h", "5d": the largest whole unit, as `docker ps` and `kubectl` show ages.</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }
        return duration.TotalSeconds < 60 ? $"{(int)duration.TotalSeconds}s"
            : duration.TotalMinutes < 60 ? $"{(int)duration.TotalMinutes}m"
            : duration.TotalHours < 48 ? $"{(int)duration.TotalHours}h"
            : $"{(int)duration.TotalDays}d";
    }

    /// <summary>"3m ago", or "just now" under a second (and for clock skew into the future).</summary>
    public static string Ago(DateTimeOffset then, DateTimeOffset now)
    {
        var elapsed = now - then;
        return elapsed < TimeSpan.FromSeconds(1) ? "just now" : Duration(elapsed) + " ago";
    }

    /// <summary>CPUs from the engine's billionths: 500000000 is "0.5", 2000000000 is "2".</summary>
    public static string Cpus(long nanoCpus) =>
        (nanoCpus / 1e9).ToString("0.##", CultureInfo.InvariantCulture);

    public static string Percent(double percent) =>
        percent.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Parses "90s", "5m", "1h30m", "2h" or plain seconds ("300") into a duration; null when malformed.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plainSeconds))
        {
            return plainSeconds >= 0 ? TimeSpan.FromSeconds(plainSeconds) : null;
        }
        var total = TimeSpan.Zero;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c) || c == '.')
            {
                continue;
            }
            var unitEnd = c == 'm' && i + 1 < text.Length && text[i + 1] == 's' ? i + 2 : i + 1;
            if (!double.TryParse(text.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }
            var unit = text[i..unitEnd];
            total += unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                "d" => TimeSpan.FromDays(number),
                _ => TimeSpan.MinValue,
            };
            if (total < TimeSpan.Zero)
            {
                return null;
            }
            start = unitEnd;
            i = unitEnd - 1;
        }
        return start == text.Length ? total : null;
    }
}
