using System.Security.Cryptography;
using System.Text;
using Gantry.Registry;

namespace Gantry.Server.Registry;

/// <summary>
/// Lets Gantry's API tokens log in to the built-in registry (`docker login -u anything -p TOKEN`):
/// one credential for the CLI, the API and the registry. The admin token may pull, push and delete
/// everywhere.
/// </summary>
public sealed class GantryTokenValidator(byte[] adminTokenHash) : IRegistryCredentialValidator
{
    public ValueTask<RegistryPrincipal?> ValidateAsync(string user, string secret, CancellationToken ct)
    {
        var matches = CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), adminTokenHash);
        return ValueTask.FromResult(matches
            ? new RegistryPrincipal(user.Length > 0 ? user : "admin", [new RegistryGrant("*", RegistryActions.All)])
            : null);
    }
}
