using System.Security.Cryptography;
using System.Text;

namespace Gantry.Server.Identity;

/// <summary>
/// A user token's wire form, <c>gtk_ID_SECRET</c>: the id (12 hex digits) finds the stored record in one read, the secret
/// (32 random bytes) is compared as a SHA-256 hash in constant time. The prefix lets secret scanners recognise a leaked one.
/// </summary>
public static class TokenSecret
{
    private const string Prefix = "gtk_";
    private const int IdLength = 12;

    public static (string Id, string Secret) New()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (id, $"{Prefix}{id}_{secret}");
    }

    /// <summary>The id and the secret part, or null when <paramref name="token"/> is not a user token.</summary>
    public static (string Id, string Secret)? Parse(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length < Prefix.Length + IdLength + 2 || token[Prefix.Length + IdLength] != '_')
        {
            return null;
        }
        var id = token.Substring(Prefix.Length, IdLength);
        return id.All(char.IsAsciiHexDigitLower) ? (id, token[(Prefix.Length + IdLength + 1)..]) : null;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));
}
