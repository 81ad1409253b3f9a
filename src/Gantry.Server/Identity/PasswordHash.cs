using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gantry.Server.Identity;

/// <summary>
/// Passwords kept as PBKDF2-HMAC-SHA256 with a 16-byte random salt (the base library's <see cref="Rfc2898DeriveBytes"/>),
/// stored as <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> so the work factor can grow without invalidating old hashes.
/// </summary>
/// <remarks>600,000 iterations is OWASP's figure for this hash; the server's own verifications are few (sign-in,
/// `docker login` with a password), since every later call carries a token.</remarks>
public static class PasswordHash
{
    public const int DefaultIterations = 600_000;
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>The shortest password a user may set.</summary>
    public const int MinimumLength = 12;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="stored"/>; false for a malformed hash too.</summary>
    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Why a new password is not acceptable, or null when it is.</summary>
    public static string? Weakness(string password) =>
        password.Length < MinimumLength ? $"the password has {password.Length} characters: use at least {MinimumLength}"
        : string.IsNullOrWhiteSpace(password) ? "the password is only white space"
        : null;
}
