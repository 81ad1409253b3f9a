using System.Globalization;

namespace Gantry.Server.Logs;

/// <summary>
/// The query string of `GET /api/v1/apps/{app}/logs` checked once at the edge (pure): `since` and `until` as a duration
/// back from now ("90s", "15m", "1h", "7d") or a time (RFC 3339), `release`, `grep` and `tail`. The error names the
/// parameter, its value and the form that works.
/// </summary>
public sealed record LogRequest(int? Release, DateTimeOffset? Since, DateTimeOffset? Until, string? Grep, int? Tail)
{
    /// <summary>Lines per replica the default query (no release, since or until) starts with, as `gantry logs` always did.</summary>
    public const int DefaultTail = 100;

    /// <summary>A history query (release or a time window) reads every replica that ever ran; the default one the replicas that exist now.</summary>
    public bool IsHistory => Release is not null || Since is not null || Until is not null;

    public static (LogRequest? Request, string? Error) Parse(string? release, string? since, string? until, string? grep, string? tail, DateTimeOffset now)
    {
        int? number = null;
        if (release is not null)
        {
            if (!int.TryParse(release, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                return (null, $"release={release} is not a release number; use a number from `gantry releases APP`, such as release=3");
            }
            number = n;
        }
        var (from, fromError) = Time("since", since, now);
        var (to, toError) = Time("until", until, now);
        if ((fromError ?? toError) is { } error)
        {
            return (null, error);
        }
        if (from is not null && to is not null && to <= from)
        {
            return (null, $"until={until} is not after since={since}; give a window that ends after it starts");
        }
        int? lines = null;
        if (tail is not null)
        {
            if (!int.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                return (null, $"tail={tail} is not a line count; use 0 or more, such as tail=100");
            }
            lines = t;
        }
        if (grep is { Length: 0 })
        {
            return (null, "grep= is empty; give the text to look for, or leave the parameter out");
        }
        return (new LogRequest(number, from, to, grep, lines), null);
    }

    private static (DateTimeOffset? Time, string? Error) Time(string name, string? text, DateTimeOffset now)
    {
        if (text is null)
        {
            return (null, null);
        }
        if (Metrics.MetricsQuery.ParseDuration(text) is { } ago)
        {
            return (now - ago, null);
        }
        if (text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return (time, null);
        }
        return (null, $"{name}={text} is neither a duration nor a time; use a duration back from now (90s, 15m, 1h, 7d) or an RFC 3339 time such as 2026-12-05T10:00:00Z");
    }

    /// <summary>
    /// The store query: a history query reads every replica in its window; the default one only <paramref name="current"/>
    /// (the replicas that exist now) and their last <see cref="DefaultTail"/> lines. Lines before <paramref name="appCreated"/>
    /// belong to an earlier app of the same name and are never shown for this one.
    /// </summary>
    public LogQuery ToQuery(string? service, IReadOnlySet<string>? current, DateTimeOffset? appCreated)
    {
        var since = Since is { } s && appCreated is { } c ? (s > c ? s : c) : Since ?? appCreated;
        return new LogQuery
        {
            Service = service,
            Release = Release,
            Since = since,
            Until = Until,
            Grep = Grep,
            Replicas = IsHistory ? null : current,
            TailPerReplica = IsHistory ? Tail : Tail ?? DefaultTail,
        };
    }
}
