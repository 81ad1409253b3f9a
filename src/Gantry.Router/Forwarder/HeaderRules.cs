using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gantry.Router.Forwarder;

/// <summary>Which headers cross the proxy: hop-by-hop headers (RFC 9110 §7.6.1) stop here, and identity headers the router sets itself are never taken from the client.</summary>
public static class HeaderRules
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    // Set by the router (or by the HTTP client from the content) and therefore dropped from the client's request.
    private static readonly HashSet<string> RouterOwned = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Prefix",
        "X-Real-IP", "Forwarded", "traceparent", "X-Request-Id", "Content-Length", "Expect",
    };

    public static bool IsHopByHop(string name) => HopByHop.Contains(name) || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for request headers the client sends that must not reach the upstream as sent.</summary>
    public static bool SkipRequestHeader(string name, bool isUpgrade)
    {
        if (name.Length == 0 || name[0] == ':')
        {
            return true;
        }

        if (isUpgrade && (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return IsHopByHop(name) || RouterOwned.Contains(name);
    }

    /// <summary><see cref="SkipRequestHeader(string, bool)"/> for a field name as the client sent it (ASCII token bytes), without
    /// making a string of it: the front's request fields are never upgrades.</summary>
    public static bool SkipRequestHeader(ReadOnlySpan<byte> name)
    {
        if (name.Length is 0 or > 64)
        {
            return name.Length == 0;
        }

        Span<char> chars = stackalloc char[name.Length];
        System.Text.Ascii.ToUtf16(name, chars, out _);
        return chars.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) || HopByHopLookup.Contains(chars) || RouterOwnedLookup.Contains(chars);
    }

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> HopByHopLookup = HopByHop.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> RouterOwnedLookup = RouterOwned.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether a header is named by the Connection header (those are hop-by-hop too, RFC 9110 §7.6.1).</summary>
    public static bool IsNamedByConnection(StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var range in value.AsSpan().Split(','))
            {
                if (value.AsSpan()[range].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Writes the client's request fields into the upstream request head, minus hop-by-hop and router-owned ones.</summary>
    /// <remarks>Several values of one field become one line each, except Cookie, whose values (HTTP/2 clients send one field per
    /// cookie) are joined with "; " into the single Cookie line HTTP/1.1 requires (RFC 9113 §8.2.3).</remarks>
    public static void WriteRequestHeaders(IHeaderDictionary source, ref Upstream.RequestHeadBuffer head, bool isUpgrade)
    {
        var connection = source.Connection;
        var checkConnection = !isUpgrade && connection.Count != 0;
        foreach (var header in source)
        {
            var name = header.Key;
            if (SkipRequestHeader(name, isUpgrade) || (checkConnection && IsNamedByConnection(connection, name)))
            {
                continue;
            }

            var values = header.Value;
            if (values.Count == 1)
            {
                head.WriteField(name, values[0] ?? "");
            }
            else if (name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            {
                head.WriteField(name, string.Join("; ", (IEnumerable<string?>)values));
            }
            else
            {
                foreach (var value in values)
                {
                    head.WriteField(name, value ?? "");
                }
            }
        }
    }

    /// <summary>True for response fields that stop at the router: hop-by-hop ones and those the backend's Connection field names.</summary>
    public static bool SkipResponseHeader(string name, bool isUpgrade, string? connectionTokens)
    {
        if (isUpgrade && (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (IsHopByHop(name))
        {
            return true;
        }

        if (connectionTokens is not null)
        {
            foreach (var range in connectionTokens.AsSpan().Split(','))
            {
                if (connectionTokens.AsSpan()[range].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
