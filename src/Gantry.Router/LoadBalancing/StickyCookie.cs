using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gantry.Router.LoadBalancing;

/// <summary>The cookie side of sticky traffic splits: finds the client's cookie, hashes it to a stable point, and mints a token for new clients.</summary>
/// <remarks>The hash is part of the contract with clients: changing it would move every client to a different release, so it is
/// FNV-1a over the UTF-16 code units followed by the MurmurHash3 64-bit finalizer (FNV alone leaves its low and high bits
/// poorly mixed for short, similar strings such as tokens that differ in one character). Parsing works on spans of the
/// header strings Kestrel already holds: a request that carries the cookie allocates nothing here.</remarks>
public static class StickyCookie
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>Returns the hash of the cookie <paramref name="name"/>'s value, or mints a token and returns its hash with the Set-Cookie value to send.</summary>
    public static ulong Resolve(IHeaderDictionary headers, string name, out string? setCookie)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (TryHashValue(headers.Cookie, name, out var hash))
        {
            setCookie = null;
            return hash;
        }

        var token = NewToken();
        setCookie = string.Concat(name, "=", token, "; Path=/; HttpOnly; SameSite=Lax");
        return Hash(token);
    }

    /// <summary>Finds "name=value" in the Cookie header(s) (HTTP/2 may send several) and hashes the value.</summary>
    public static bool TryHashValue(StringValues cookieHeaders, string name, out ulong hash)
    {
        for (var h = 0; h < cookieHeaders.Count; h++)
        {
            var header = cookieHeaders[h].AsSpan();
            foreach (var range in header.Split(';'))
            {
                var pair = header[range].Trim();
                var eq = pair.IndexOf('=');
                if (eq <= 0 || !pair[..eq].TrimEnd().SequenceEqual(name))
                {
                    continue;
                }

                var value = pair[(eq + 1)..].Trim();
                if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                {
                    value = value[1..^1];
                }

                if (value.IsEmpty)
                {
                    continue;
                }

                hash = Hash(value);
                return true;
            }
        }

        hash = 0;
        return false;
    }

    /// <summary>The stable 64-bit hash of a cookie value (see the remarks: never change it).</summary>
    public static ulong Hash(ReadOnlySpan<char> value)
    {
        var hash = FnvOffset;
        foreach (var c in value)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccd;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53;
        hash ^= hash >> 33;
        return hash;
    }

    /// <summary>Maps a hash to a point in [0, <paramref name="total"/>) by its high bits, so the same client keeps its relative position as weights change.</summary>
    public static long Point(ulong hash, long total) => (long)Math.BigMul(hash, (ulong)total, out _);

    /// <summary>A new client's token: 16 lowercase hex digits (64 random bits; it only spreads clients, it guards nothing).</summary>
    public static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[8];
        Random.Shared.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
