using Gantry.Model.Api.Identity;
using Gantry.Registry;
using Gantry.Server.Identity;

namespace Gantry.Server.Registry;

/// <summary>
/// Lets Gantry's users log in to the built-in registry (`docker login -u NAME -p PASSWORD_OR_TOKEN`): one credential
/// for the CLI, the API and the registry. Repositories belong to teams by their first path segment (`team/...`):
/// a viewer pulls the team's, a deployer also pushes them, an admin pulls, pushes and deletes everywhere.
/// </summary>
/// <remarks>Repositories outside any team's prefix (built images named `APP/SERVICE`, pushed by the server itself with the
/// admin token) stay admin-only until builds name their team.</remarks>
public sealed class GantryTokenValidator(Authenticator authenticator) : IRegistryCredentialValidator
{
    public async ValueTask<RegistryPrincipal?> ValidateAsync(string user, string secret, CancellationToken ct)
    {
        var principal = await authenticator.AuthenticatePasswordAsync(user, secret, ct).ConfigureAwait(false);
        return principal is null || principal.IsRouter ? null : new RegistryPrincipal(principal.Name, Grants(principal));
    }

    public static IReadOnlyList<RegistryGrant> Grants(Principal principal)
    {
        if (principal.IsAdmin)
        {
            return [new RegistryGrant("*", RegistryActions.All)];
        }
        return principal.Teams
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => new RegistryGrant(t.Key + "/*", t.Value switch
            {
                Role.Admin => RegistryActions.All,
                Role.Deployer => RegistryActions.Pull | RegistryActions.Push,
                _ => RegistryActions.Pull,
            }))
            .ToList();
    }
}
