using System.Globalization;

namespace Gantry.Console.Pages;

/// <summary>How the pages print values: one format for times everywhere, in UTC (the server's log and the CLI use UTC too).</summary>
public static class Display
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>To the second, for what happens in quick succession (events, log lines).</summary>
    public static string Moment(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? at) => at is { } value ? Time(value) : "—";

    /// <summary>Requests per second: "—" when the routers saw none, else two significant decimals at most.</summary>
    public static string Rate(double? perSecond) => perSecond is { } r ? r < 10 ? r.ToString("0.##", CultureInfo.InvariantCulture) : r.ToString("0", CultureInfo.InvariantCulture) : "—";

    public static string Share(double? share) => share is { } s ? (s * 100).ToString(s is > 0 and < 0.01 ? "0.##" : "0.#", CultureInfo.InvariantCulture) + " %" : "—";

    public static string Ms(double? ms) => ms is { } m ? (m < 10 ? m.ToString("0.#", CultureInfo.InvariantCulture) : m.ToString("0", CultureInfo.InvariantCulture)) + " ms" : "—";

    /// <summary>Bytes in binary units ("256 MiB"), as `gantry ps` prints them.</summary>
    public static string Bytes(double? bytes) => bytes switch
    {
        null => "—",
        >= 1L << 30 => (bytes.Value / (1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB",
        >= 1 << 20 => (bytes.Value / (1 << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 => (bytes.Value / (1 << 10)).ToString("0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.Value.ToString("0", CultureInfo.InvariantCulture) + " B",
    };

    /// <summary>"12 % of 0.5 CPU": the sampler's figure is already a fraction of the limit (of one core without one).</summary>
    public static string Cpu(double? fraction, long? nanoCpus) =>
        fraction is not { } f ? "—"
        : $"{(f * 100).ToString("0.#", CultureInfo.InvariantCulture)} % of {(nanoCpus is { } n and > 0 ? (n / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + " CPU" : "1 core (no limit)")}";

    /// <summary>"34 MiB of 256 MiB".</summary>
    public static string Memory(double? bytes, long? limit) =>
        bytes is null ? "—" : $"{Bytes(bytes)} of {(limit is { } l and > 0 ? Bytes(l) : "no limit")}";
}
