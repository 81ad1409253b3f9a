using System.Diagnostics;
using Gantry.Router.Upstream;

namespace Gantry.Router.Forwarder;

/// <summary>One request's trace context: the trace it belongs to, the router's own span in it, and the flags passed on.</summary>
/// <remarks>Not a positional record: a deconstruction into (parent, trace id, span id) would compile and mean something else.</remarks>
public readonly struct TraceParent(string traceId, string spanId, string flags)
{
    public string TraceId { get; } = traceId;

    public string SpanId { get; } = spanId;

    public string Flags { get; } = flags;

    /// <summary>The traceparent field's value, "00-{trace id}-{span id}-{flags}".</summary>
    public override string ToString() => string.Concat("00-", TraceId, "-", SpanId, "-", Flags);

    /// <summary>Writes the field's value into an upstream head, without the string <see cref="ToString"/> would make.</summary>
    public void WriteTo(ref RequestHeadBuffer head)
    {
        head.Write("00-"u8);
        head.Write(TraceId);
        head.Write("-"u8);
        head.Write(SpanId);
        head.Write("-"u8);
        head.Write(Flags);
    }
}

/// <summary>W3C trace context: continue the caller's trace id with a span id of the router's own, or start a new trace.</summary>
public static class TraceContext
{
    /// <summary>The caller's trace continued with a span id of the router's own, or a new trace. The span id is random and
    /// unique per request, so it doubles as the generated X-Request-Id and saves another random string.</summary>
    public static TraceParent Next(string? incoming)
    {
        var spanId = ActivitySpanId.CreateRandom().ToHexString();
        return TryParse(incoming, out var traceId, out var flags)
            ? new TraceParent(traceId, spanId, flags)
            : new TraceParent(ActivityTraceId.CreateRandom().ToHexString(), spanId, "01");
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
