namespace Gantry.Model.Api.Identity;

/// <summary>`GET /api/v1/whoami`: who the caller is and what it may do.</summary>
public sealed record WhoAmIView(string User, bool Admin, IReadOnlyList<TeamMembership> Teams)
{
    /// <summary>The token's id when the caller used a user token.</summary>
    public string? TokenId { get; init; }
}
