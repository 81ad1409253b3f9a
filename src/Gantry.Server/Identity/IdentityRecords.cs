using Gantry.Model.Api.Identity;

namespace Gantry.Server.Identity;

/// <summary>A user as the store keeps it (kind "User", named by the user name).</summary>
public sealed record UserRecord(string PasswordHash, IReadOnlyList<TeamMembership> Teams, DateTimeOffset Created)
{
    public bool IsAdmin => Teams.Any(t => t.Role == Role.Admin);

    /// <summary>
    /// True while an admin has the user disabled: neither the password nor any of the user's tokens authenticate, and the
    /// record, memberships and tokens are kept so enabling the user again restores them. Null (not written) when enabled,
    /// so the records of users never disabled are unchanged.
    /// </summary>
    public bool? Disabled { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsDisabled => Disabled == true;
}

/// <summary>A team (kind "Team", named by the team name); its members are the users that name it.</summary>
public sealed record TeamRecord(DateTimeOffset Created);

/// <summary>
/// An API token (kind "Token", named by its id). Only the SHA-256 of its secret is kept: tokens are long random strings,
/// so a fast hash is enough, and the secret cannot be recovered from the store.
/// </summary>
public sealed record TokenRecord(string User, string SecretHash, Role Role, DateTimeOffset Created)
{
    /// <summary>The one team the token acts in; null for every team of its user.</summary>
    public string? Team { get; init; }

    public DateTimeOffset? Expires { get; init; }

    public string? Description { get; init; }
}
