namespace Gantry.Server.Identity;

/// <summary>How passwords are hashed and how long tokens live.</summary>
public sealed record IdentityOptions
{
    /// <summary>PBKDF2 iterations for new password hashes (old hashes keep theirs).</summary>
    public int PasswordIterations { get; init; } = PasswordHash.DefaultIterations;

    /// <summary>A token created without an expiry lives this long.</summary>
    public TimeSpan DefaultTokenLifetime { get; init; } = TimeSpan.FromDays(90);

    /// <summary>A token made by `gantry login --user` (a password sign-in) lives this long.</summary>
    public TimeSpan LoginTokenLifetime { get; init; } = TimeSpan.FromDays(30);
}
