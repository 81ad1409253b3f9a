using System.Text.Json.Serialization;

namespace Gantry.Registry.Auth;

/// <summary>Body of the token endpoint's answer; both field names are sent because docker reads "token" and OAuth2 clients "access_token".</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("issued_at")] string IssuedAt);
