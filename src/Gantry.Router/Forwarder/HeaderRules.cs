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

    /// <summary>Copies the client's request headers onto the upstream request (content headers onto the content).</summary>
    public static void CopyRequestHeaders(HttpRequest source, HttpRequestMessage target, bool isUpgrade)
    {
        var connection = source.Headers.Connection;
        var checkConnection = !isUpgrade && connection.Count != 0;
        foreach (var header in source.Headers)
        {
            var name = header.Key;
            if (SkipRequestHeader(name, isUpgrade) || (checkConnection && IsNamedByConnection(connection, name)))
            {
                continue;
            }

            var value = header.Value;
            var added = value.Count == 1
                ? target.Headers.TryAddWithoutValidation(name, (string?)value)
                : target.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            if (!added && target.Content is not null)
            {
                // Content-Type and friends belong to the content's header collection.
                _ = value.Count == 1
                    ? target.Content.Headers.TryAddWithoutValidation(name, (string?)value)
                    : target.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
        }
    }

    /// <summary>Copies the upstream's response headers (and content headers) to the client's response, minus hop-by-hop ones.</summary>
    public static void CopyResponseHeaders(HttpResponseMessage source, HttpResponse target, bool isUpgrade)
    {
        var headers = target.Headers;
        var connectionNamed = source.Headers.NonValidated.TryGetValues("Connection", out var connectionValues) ? connectionValues : default;
        foreach (var header in source.Headers.NonValidated)
        {
            if (Skip(header.Key, isUpgrade, connectionNamed))
            {
                continue;
            }

            headers[header.Key] = ToStringValues(header.Value);
        }

        foreach (var header in source.Content.Headers.NonValidated)
        {
            if (Skip(header.Key, isUpgrade, connectionNamed))
            {
                continue;
            }

            headers[header.Key] = ToStringValues(header.Value);
        }
    }

    private static bool Skip(string name, bool isUpgrade, System.Net.Http.Headers.HeaderStringValues connectionNamed)
    {
        if (isUpgrade && (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (IsHopByHop(name))
        {
            return true;
        }

        if (connectionNamed.Count != 0)
        {
            foreach (var value in connectionNamed)
            {
                foreach (var range in value.AsSpan().Split(','))
                {
                    if (value.AsSpan()[range].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static StringValues ToStringValues(System.Net.Http.Headers.HeaderStringValues values)
    {
        if (values.Count == 1)
        {
            using var e = values.GetEnumerator();
            e.MoveNext();
            return e.Current;
        }

        var array = new string[values.Count];
        var i = 0;
        foreach (var value in values)
        {
            array[i++] = value;
        }

        return array;
    }
}
