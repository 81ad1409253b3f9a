namespace Gantry.Model.Api.Identity;

/// <summary>
/// `POST /api/v1/tokens`: a token for the caller, scoped to one team (or all of the caller's) with a role no higher than
/// the caller's there, expiring after <see cref="ExpiresInSeconds"/> (default 90 days; 0 means never, admins only).
/// </summary>
public sealed record TokenCreateRequest
{
    public string? Description { get; init; }

    public string? Team { get; init; }

    public Role? Role { get; init; }

    public long? ExpiresInSeconds { get; init; }
}
