namespace Gantry.Model.Api.Identity;

/// <summary>`POST /api/v1/users`: a new user with one membership; the password is sent once and only its hash is kept.</summary>
public sealed record UserCreateRequest(string Name, string Password, string Team, Role Role);
