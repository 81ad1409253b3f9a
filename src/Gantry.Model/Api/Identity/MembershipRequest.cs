namespace Gantry.Model.Api.Identity;

/// <summary>`PUT /api/v1/users/{name}/teams/{team}`: gives a user a role in a team (or changes it).</summary>
public sealed record MembershipRequest(Role Role);
