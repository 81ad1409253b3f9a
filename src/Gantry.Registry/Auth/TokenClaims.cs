using System.Text.Json.Serialization;

namespace Gantry.Registry.Auth;

/// <summary>The JWT payload of a registry bearer token.</summary>
public sealed record TokenClaims
{
    [JsonPropertyName("iss")] public required string Issuer { get; init; }
    [JsonPropertyName("sub")] public required string Subject { get; init; }
    [JsonPropertyName("aud")] public required string Audience { get; init; }
    [JsonPropertyName("exp")] public long ExpiresAt { get; init; }
    [JsonPropertyName("nbf")] public long NotBefore { get; init; }
    [JsonPropertyName("iat")] public long IssuedAt { get; init; }
    [JsonPropertyName("jti")] public required string Id { get; init; }
    [JsonPropertyName("access")] public IReadOnlyList<TokenAccess> Access { get; init; } = [];

    /// <summary>Actions this token grants on a repository.</summary>
    public RegistryActions ActionsOn(string repository)
    {
        RegistryActions actions = RegistryActions.None;
        foreach (TokenAccess entry in Access)
        {
            if (entry.Type == "repository" && entry.Name == repository)
            {
                actions |= TokenScope.ParseActions(entry.Actions);
            }
        }

        return actions;
    }

    public bool GrantsCatalog => Access.Any(a => a.Type == "registry" && a.Name == "catalog");
}
