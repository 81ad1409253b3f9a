using System.Globalization;

namespace Gantry.Docker.Transport;

/// <summary>Conversions between .NET times and the daemon's: RFC 3339 with nanoseconds, and Unix seconds with a fraction.</summary>
public static class DockerTime
{
    /// <summary>Parses RFC 3339 with up to nine fractional digits (.NET keeps seven; the rest is dropped).</summary>
    public static bool TryParseRfc3339(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        var dot = text.IndexOf('.');
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text[..(dot + 8)], text[end..]);
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>Formats a time as the <c>since</c>/<c>until</c> query value: Unix seconds with nine fractional digits.</summary>
    public static string ToUnixSeconds(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{remainder * 100:D9}");
    }

    /// <summary>Converts nanoseconds since the Unix epoch (events' <c>timeNano</c>).</summary>
    public static DateTimeOffset FromUnixNanoseconds(long nanoseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100);
}
