namespace Gantry.Registry.Auth;

/// <summary>
/// What the registry reads from a validated bearer token: who it was issued to (empty for anonymous) and its access
/// entries. The standard claims (iss, aud, exp, nbf) are checked by the token library and not needed afterwards.
/// </summary>
public sealed record TokenClaims(string Subject, IReadOnlyList<TokenAccess> Access)
{
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
