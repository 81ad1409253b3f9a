namespace Gantry.Model.Api.Identity;

/// <summary>`POST /api/v1/login`: a user name and password exchanged for a token (what `gantry login --user` sends).</summary>
public sealed record LoginRequest(string Username, string Password);
