using System.Text.Json;
using System.Text.Json.Serialization;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Images;

/// <summary>Registry credentials sent base64url-encoded in the <c>X-Registry-Auth</c> header for pull and push.</summary>
public sealed record RegistryAuth
{
    /// <summary>User name.</summary>
    [JsonPropertyName("username")]
    public string? Username { get; init; }

    /// <summary>Password or token.</summary>
    [JsonPropertyName("password")]
    public string? Password { get; init; }

    /// <summary>Registry host, for example <c>localhost:5000</c>.</summary>
    [JsonPropertyName("serveraddress")]
    public string? ServerAddress { get; init; }

    /// <summary>Refresh token from a previous login.</summary>
    [JsonPropertyName("identitytoken")]
    public string? IdentityToken { get; init; }

    /// <summary>Bearer token for the registry.</summary>
    [JsonPropertyName("registrytoken")]
    public string? RegistryToken { get; init; }

    /// <summary>
    /// The header value: base64url of the JSON <em>with</em> '=' padding, as the docker CLI sends it. dockerd decodes
    /// with Go's padded URLEncoding and silently falls back to no credentials when decoding fails, so unpadded
    /// base64url would lose the credentials without any error.
    /// </summary>
    public string ToHeaderValue() =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this, DockerJsonContext.Default.RegistryAuth))
            .Replace('+', '-')
            .Replace('/', '_');

    /// <summary>The header value for "no credentials" (<c>{}</c>), which some daemons require on push.</summary>
    public static string AnonymousHeaderValue => "e30=";
}
