namespace Gantry.Registry;

/// <summary>Checks a user name and secret (password or API token) presented to the token endpoint; null means rejected.</summary>
public interface IRegistryCredentialValidator
{
    ValueTask<RegistryPrincipal?> ValidateAsync(string user, string secret, CancellationToken ct);
}
