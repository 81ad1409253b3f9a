using System.Security.Cryptography;

namespace Gantry.Registry.Content;

/// <summary>A validated content digest such as <c>sha256:abc…</c>; only sha256 and sha512 are accepted.</summary>
public readonly record struct Digest(string Algorithm, string Hex)
{
    public override string ToString() => Algorithm + ":" + Hex;

    /// <summary>Parses the spec's digest grammar, restricted to the algorithms this registry can verify.</summary>
    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        string algorithm = value[..colon];
        string hex = value[(colon + 1)..];
        int expected = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => -1,
        };
        if (expected < 0 || hex.Length != expected)
        {
            return false;
        }

        foreach (char c in hex)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        digest = new Digest(algorithm, hex);
        return true;
    }

    /// <summary>True when the string looks like a digest at all (has an algorithm prefix), used to tell tags from digests.</summary>
    public static bool LooksLikeDigest(string reference) => reference.Contains(':', StringComparison.Ordinal);

    public HashAlgorithmName HashName => Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;

    public static Digest Compute(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(content, hash);
        return new Digest("sha256", Convert.ToHexStringLower(hash));
    }

    public static Digest FromHash(string algorithm, byte[] hash) => new(algorithm, Convert.ToHexStringLower(hash));
}
