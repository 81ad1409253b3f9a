using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gantry.Store;

namespace Gantry.Server.Identity;

/// <summary>
/// Turns a credential into a <see cref="Principal"/>: the admin token (user "admin"), the routers' token, a user's API
/// token, or a user name and password. Unknown, expired and revoked credentials give null; the caller counts the failure.
/// </summary>
/// <remarks>The two server tokens are compared as SHA-256 hashes in constant time; a user token costs one store read;
/// a password costs one PBKDF2 derivation (about a quarter of a second), which is why only sign-in and `docker login` take one.</remarks>
public sealed class Authenticator(IResourceStore store, byte[] adminTokenHash, byte[] routerTokenHash, TimeProvider time)
{
    public const string AdminUser = "admin";

    // Verified against when the user does not exist, so a wrong name costs the same time as a wrong password and the
    // answer's delay does not tell which user names exist.
    private static readonly Lazy<string> s_decoy = new(() => PasswordHash.Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));

    public async ValueTask<Principal?> AuthenticateTokenAsync(string token, CancellationToken ct)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        if (CryptographicOperations.FixedTimeEquals(hash, adminTokenHash))
        {
            return Principal.Admin(AdminUser, PrincipalKind.AdminToken);
        }
        if (CryptographicOperations.FixedTimeEquals(hash, routerTokenHash))
        {
            return Principal.Router;
        }
        if (TokenSecret.Parse(token) is not { } parsed
            || await store.GetAsync(IdentityKinds.Token, parsed.Id, ct).ConfigureAwait(false) is not { } stored)
        {
            return null;
        }
        var record = JsonSerializer.Deserialize(stored.SpecJson, IdentityJsonContext.Default.TokenRecord)!;
        if (!TokenSecret.Matches(token, record.SecretHash) || record.Expires is { } expires && expires <= time.GetUtcNow())
        {
            return null;
        }
        var user = await FindUserAsync(record.User, ct).ConfigureAwait(false);
        return user is null || user.IsDisabled ? null : Principal.ForUser(record.User, user, PrincipalKind.UserToken, record, parsed.Id);
    }

    /// <summary>A user name and password; any token is accepted in place of the password too, as `docker login` users expect.</summary>
    public async ValueTask<Principal?> AuthenticatePasswordAsync(string user, string password, CancellationToken ct)
    {
        if (password.StartsWith("gty_", StringComparison.Ordinal) || password.StartsWith("gtk_", StringComparison.Ordinal))
        {
            var byToken = await AuthenticateTokenAsync(password, ct).ConfigureAwait(false);
            if (byToken is not null)
            {
                return byToken;
            }
        }
        var record = await FindUserAsync(user, ct).ConfigureAwait(false);
        if (record is null)
        {
            PasswordHash.Verify(password, s_decoy.Value);
            return null;
        }
        // A disabled user's right password is refused like a wrong one (after the same work, so timing tells nothing).
        return PasswordHash.Verify(password, record.PasswordHash) && !record.IsDisabled
            ? Principal.ForUser(user, record, PrincipalKind.Password)
            : null;
    }

    public async Task<UserRecord?> FindUserAsync(string name, CancellationToken ct)
    {
        if (!Gantry.Model.Names.IsValidAppName(name))
        {
            return null;
        }
        var stored = await store.GetAsync(IdentityKinds.User, name, ct).ConfigureAwait(false);
        return stored is null ? null : JsonSerializer.Deserialize(stored.SpecJson, IdentityJsonContext.Default.UserRecord);
    }
}
