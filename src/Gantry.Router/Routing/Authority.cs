namespace Gantry.Router.Routing;

/// <summary>Checks the port part of a request's authority (Host header or HTTP/2 :authority) without allocating.</summary>
/// <remarks>RFC 3986 allows any digits; a router only routes what can exist: no port, or 1-65535. Host-name characters are
/// left to Kestrel (it refuses control characters and spaces) and to the route match (an odd name simply matches nothing).</remarks>
public static class Authority
{
    /// <summary>True when the authority has no port, an empty one ("host:"), or a decimal port from 1 to 65535.</summary>
    public static bool HasValidPort(ReadOnlySpan<char> authority)
    {
        ReadOnlySpan<char> port;
        if (authority.StartsWith('['))
        {
            // IPv6 literal: "[::1]" or "[::1]:8080".
            var close = authority.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            var rest = authority[(close + 1)..];
            if (rest.IsEmpty)
            {
                return true;
            }

            if (rest[0] != ':')
            {
                return false;
            }

            port = rest[1..];
        }
        else
        {
            var colon = authority.IndexOf(':');
            if (colon < 0)
            {
                return true;
            }

            port = authority[(colon + 1)..];
        }

        if (port.IsEmpty)
        {
            return true;
        }

        if (port.Length > 5)
        {
            return false;
        }

        var value = 0;
        foreach (var c in port)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return value is >= 1 and <= 65535;
    }
}
