namespace Gantry.Registry;

/// <summary>The default validator until the host plugs one in: nobody logs in (anonymous pull rules still apply).</summary>
public sealed class RejectAllCredentialValidator : IRegistryCredentialValidator
{
    public ValueTask<RegistryPrincipal?> ValidateAsync(string user, string secret, CancellationToken ct) =>
        ValueTask.FromResult<RegistryPrincipal?>(null);
}
