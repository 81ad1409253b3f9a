using System.Security.Cryptography;
using System.Text.Json;
using Gantry.Registry.Api;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gantry.Registry.Auth;

/// <summary>
/// Issues and validates the HS256 JWT bearer tokens of the Docker token flow. Encoding, signing and the
/// signature, algorithm, issuer, audience and lifetime checks are Microsoft.IdentityModel's; this class only
/// says what a registry token holds (subject, "access" entries) and which clock decides its lifetime.
/// </summary>
public sealed class RegistryTokenService
{
    private const string Issuer = "gantry-registry";
    private const string AccessClaim = "access";

    /// <summary>Tokens are issued and checked by this process or replicas sharing its key, so only their clocks' drift needs room.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(10);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _signing;
    private readonly TokenValidationParameters _validation;
    private readonly RegistryOptions _options;
    private readonly TimeProvider _time;

    public RegistryTokenService(RegistryOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        byte[] keyBytes = options.TokenSigningKey is { Length: > 0 } configured ? configured : RandomNumberGenerator.GetBytes(32);
        if (keyBytes.Length < 32)
        {
            // The library refuses shorter HS256 keys only when the first token is signed; say so at startup instead.
            throw new ArgumentException($"RegistryOptions.TokenSigningKey has {keyBytes.Length} bytes; HS256 needs at least 32.", nameof(options));
        }

        var key = new SymmetricSecurityKey(keyBytes);
        _signing = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
        _validation = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = options.Service,
            IssuerSigningKey = key,
            // Anything but HS256 (alg "none" included) is refused before a key is even tried.
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = ClockSkew,
            // The library's own lifetime check reads the system clock (its TimeProvider hook is internal in 8.x);
            // the registry's clock must decide, so that hosts and tests that move time see tokens expire.
            LifetimeValidator = WithinLifetime,
        };
    }

    public IssuedToken Issue(string subject, IReadOnlyList<TokenAccess> access)
    {
        DateTimeOffset now = _time.GetUtcNow();
        string token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = _options.Service,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + _options.TokenLifetime).UtcDateTime,
            SigningCredentials = _signing,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
                // A JsonElement is written as is, so the entries keep Docker's shape: [{"type","name","actions"}].
                [AccessClaim] = JsonSerializer.SerializeToElement([.. access], RegistryJsonContext.Default.TokenAccessArray),
            },
        });
        return new IssuedToken(token, (int)_options.TokenLifetime.TotalSeconds, now);
    }

    /// <summary>Returns what a valid, unexpired token of this service grants, else null.</summary>
    public async ValueTask<TokenClaims?> ValidateAsync(string token)
    {
        TokenValidationResult result = await _handler.ValidateTokenAsync(token, _validation).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }

        TokenAccess[] access = jwt.TryGetPayloadValue(AccessClaim, out JsonElement entries)
            ? entries.Deserialize(RegistryJsonContext.Default.TokenAccessArray) ?? []
            : [];
        return new TokenClaims(jwt.Subject, access);
    }

    private bool WithinLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        DateTime now = _time.GetUtcNow().UtcDateTime;
        return expires is { } exp && now < exp + parameters.ClockSkew
            && (notBefore is not { } nbf || nbf - parameters.ClockSkew <= now);
    }
}
