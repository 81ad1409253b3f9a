using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gantry.Registry.Tests.Infrastructure;

/// <summary>
/// Makes bearer tokens the registry did not issue (other key, audience, lifetime or no signature at all), so tests can
/// show which ones it refuses and that a valid one grants exactly its access entries.
/// </summary>
public static class TokenForge
{
    public const string Issuer = "gantry-registry";

    public static string Signed(byte[] key, object[] access, string audience = "gantry", DateTime? expires = null)
    {
        DateTime now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = now.AddHours(-1),
            NotBefore = now.AddHours(-1),
            Expires = expires ?? now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object> { ["sub"] = "forged", ["access"] = access },
        });
    }

    /// <summary>A token with header {"alg":"none"} and an empty signature, otherwise well-formed and unexpired.</summary>
    public static string Unsigned(object[] access)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string payload = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = "gantry",
            ["sub"] = "forged",
            ["nbf"] = now - 60,
            ["exp"] = now + 300,
            ["access"] = access,
        });
        return new JsonWebTokenHandler().CreateToken(payload);
    }

    /// <summary>Swaps a token's payload for another while keeping its header and signature.</summary>
    public static string WithPayload(string token, string payloadJson)
    {
        string[] parts = token.Split('.');
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payloadJson)}.{parts[2]}";
    }

    public static string HeaderOf(string token) => Base64UrlEncoder.Decode(token.Split('.')[0]);

    public static string PayloadOf(string token) => Base64UrlEncoder.Decode(token.Split('.')[1]);

    public static object Repository(string name, params string[] actions) => new Dictionary<string, object>
    {
        ["type"] = "repository",
        ["name"] = name,
        ["actions"] = actions,
    };
}
