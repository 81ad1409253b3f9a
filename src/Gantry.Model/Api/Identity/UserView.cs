namespace Gantry.Model.Api.Identity;

/// <summary>A user as the API shows it: never the password or its hash.</summary>
public sealed record UserView(string Name, IReadOnlyList<TeamMembership> Teams, DateTimeOffset Created)
{
    /// <summary>True when one of the memberships is <see cref="Role.Admin"/> (admin is server-wide).</summary>
    public bool Admin { get; init; }

    /// <summary>True while an admin has the user disabled (`gantry users disable`): nothing of theirs authenticates.</summary>
    public bool Disabled { get; init; }
}
