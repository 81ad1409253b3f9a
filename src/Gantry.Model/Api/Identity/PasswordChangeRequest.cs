namespace Gantry.Model.Api.Identity;

/// <summary>`PUT /api/v1/users/{name}/password`. A user changing their own password sends the current one; an admin changing another's does not need it.</summary>
public sealed record PasswordChangeRequest(string Password)
{
    public string? Current { get; init; }
}
