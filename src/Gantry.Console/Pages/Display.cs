using System.Globalization;

namespace Gantry.Console.Pages;

/// <summary>How the pages print values: one format for times everywhere, in UTC (the server's log and the CLI use UTC too).</summary>
public static class Display
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>To the second, for what happens in quick succession (events, log lines).</summary>
    public static string Moment(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? at) => at is { } value ? Time(value) : "—";
}
