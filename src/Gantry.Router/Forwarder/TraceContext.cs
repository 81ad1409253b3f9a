using System.Diagnostics;

namespace Gantry.Router.Forwarder;

/// <summary>W3C trace context: continue the caller's trace id with a span id of the router's own, or start a new trace.</summary>
public static class TraceContext
{
    /// <summary>Returns the traceparent to send upstream, the trace id for the access log, and the router's own span id
    /// (random and unique per request, so it doubles as the generated X-Request-Id and saves another random string).</summary>
    public static (string TraceParent, string TraceId, string SpanId) Next(string? incoming)
    {
        var spanId = ActivitySpanId.CreateRandom().ToHexString();
        if (TryParse(incoming, out var traceId, out var flags))
        {
            return (string.Concat("00-", traceId, "-", spanId, "-", flags), traceId, spanId);
        }

        var newTrace = ActivityTraceId.CreateRandom().ToHexString();
        return (string.Concat("00-", newTrace, "-", spanId, "-01"), newTrace, spanId);
    }

    /// <summary>Parses "00-{32 hex trace id}-{16 hex parent id}-{2 hex flags}"; all-zero ids are invalid per the spec.</summary>
    public static bool TryParse(string? value, out string traceId, out string flags)
    {
        traceId = "";
        flags = "";
        if (value is null || value.Length < 55)
        {
            return false;
        }

        var span = value.AsSpan().Trim();
        if (span.Length < 55 || span[2] != '-' || span[35] != '-' || span[52] != '-' || span[..2] is "ff"
            || !IsLowerHex(span[..2]) || !IsLowerHex(span.Slice(3, 32)) || !IsLowerHex(span.Slice(36, 16)) || !IsLowerHex(span.Slice(53, 2))
            || span.Slice(3, 32).IndexOfAnyExcept('0') < 0 || span.Slice(36, 16).IndexOfAnyExcept('0') < 0
            || (span.Length > 55 && span[..2] is "00"))
        {
            return false;
        }

        traceId = span.Slice(3, 32).ToString();
        flags = span.Slice(53, 2).ToString();
        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
