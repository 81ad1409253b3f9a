namespace Gantry.Model.Api.Identity;

/// <summary>A user's role in one team.</summary>
public sealed record TeamMembership(string Team, Role Role);
