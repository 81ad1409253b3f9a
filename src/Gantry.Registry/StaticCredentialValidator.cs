using System.Security.Cryptography;
using System.Text;

namespace Gantry.Registry;

/// <summary>A fixed table of users and secrets, for tests, the benchmark and single-user setups.</summary>
public sealed class StaticCredentialValidator : IRegistryCredentialValidator
{
    private readonly Dictionary<string, (byte[] Secret, RegistryPrincipal Principal)> _users = new(StringComparer.Ordinal);

    /// <summary>Adds a user; the default grant is every action on every repository.</summary>
    public StaticCredentialValidator Add(string user, string secret, params RegistryGrant[] grants)
    {
        RegistryGrant[] effective = grants.Length == 0 ? [new RegistryGrant("*", RegistryActions.All)] : grants;
        _users[user] = (Encoding.UTF8.GetBytes(secret), new RegistryPrincipal(user, effective));
        return this;
    }

    public ValueTask<RegistryPrincipal?> ValidateAsync(string user, string secret, CancellationToken ct)
    {
        if (_users.TryGetValue(user, out var entry)
            && CryptographicOperations.FixedTimeEquals(entry.Secret, Encoding.UTF8.GetBytes(secret)))
        {
            return ValueTask.FromResult<RegistryPrincipal?>(entry.Principal);
        }

        return ValueTask.FromResult<RegistryPrincipal?>(null);
    }
}
