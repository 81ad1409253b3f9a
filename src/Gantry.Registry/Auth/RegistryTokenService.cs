using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gantry.Registry.Api;

namespace Gantry.Registry.Auth;

/// <summary>Issues and validates HS256 JWT bearer tokens carrying repository access entries.</summary>
public sealed class RegistryTokenService
{
    private const string Issuer = "gantry-registry";

    // Only one header is ever issued, so validation compares the segment instead of parsing it.
    private static readonly string HeaderSegment = Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
    private readonly byte[] _key;
    private readonly RegistryOptions _options;
    private readonly TimeProvider _time;

    public RegistryTokenService(RegistryOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _key = options.TokenSigningKey is { Length: > 0 } key ? key : RandomNumberGenerator.GetBytes(32);
    }

    public IssuedToken Issue(string subject, IReadOnlyList<TokenAccess> access)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var claims = new TokenClaims
        {
            Issuer = Issuer,
            Subject = subject,
            Audience = _options.Service,
            IssuedAt = now.ToUnixTimeSeconds(),
            NotBefore = now.ToUnixTimeSeconds() - 5,
            ExpiresAt = (now + _options.TokenLifetime).ToUnixTimeSeconds(),
            Id = Guid.NewGuid().ToString("N"),
            Access = access,
        };
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(claims, RegistryJsonContext.Default.TokenClaims);
        string signingInput = HeaderSegment + "." + Base64Url.EncodeToString(payload);
        byte[] signature = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signingInput));
        return new IssuedToken(signingInput + "." + Base64Url.EncodeToString(signature), (int)_options.TokenLifetime.TotalSeconds, now);
    }

    /// <summary>Returns the claims of a valid, unexpired token for this service, else null.</summary>
    public TokenClaims? Validate(string token)
    {
        int firstDot = token.IndexOf('.', StringComparison.Ordinal);
        int lastDot = token.LastIndexOf('.');
        if (firstDot <= 0 || lastDot <= firstDot || !token.AsSpan(0, firstDot).SequenceEqual(HeaderSegment))
        {
            return null;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(token[..lastDot]), expected);
        byte[] actual;
        try
        {
            actual = Base64Url.DecodeFromChars(token.AsSpan(lastDot + 1));
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return null;
        }

        TokenClaims? claims;
        try
        {
            claims = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(token.AsSpan(firstDot + 1, lastDot - firstDot - 1)), RegistryJsonContext.Default.TokenClaims);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        return claims is not null && claims.ExpiresAt > now && claims.NotBefore <= now && claims.Audience == _options.Service ? claims : null;
    }
}
