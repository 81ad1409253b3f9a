namespace Gantry.Registry;

/// <summary>An authenticated registry user and the repository actions it holds; the server maps Gantry users and API tokens onto it.</summary>
public sealed record RegistryPrincipal(string Name, IReadOnlyList<RegistryGrant> Grants)
{
    /// <summary>The union of actions granted on a repository.</summary>
    public RegistryActions ActionsOn(string repository)
    {
        RegistryActions actions = RegistryActions.None;
        foreach (RegistryGrant grant in Grants)
        {
            if (grant.Matches(repository))
            {
                actions |= grant.Actions;
            }
        }

        return actions;
    }

    /// <summary>Listing the catalog needs a grant on every repository ("*").</summary>
    public bool CanListCatalog => Grants.Any(g => g.RepositoryPattern == "*" && g.Actions.HasFlag(RegistryActions.Pull));
}
