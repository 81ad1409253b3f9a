namespace Gantry.Model.Api.Identity;

/// <summary>`POST /api/v1/teams`.</summary>
public sealed record TeamCreateRequest(string Name);
