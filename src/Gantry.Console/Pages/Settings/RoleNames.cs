using Gantry.Model.Api.Identity;

namespace Gantry.Console.Pages.Settings;

/// <summary>Roles as the forms send and the pages print them: lower-case, as the CLI takes them (`--role deployer`).</summary>
public static class RoleNames
{
    public static IReadOnlyList<Role> All { get; } = [Role.Viewer, Role.Deployer, Role.Admin];

    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    /// <summary>"viewer", "deployer" or "admin"; null for anything else (the form's "none" included).</summary>
    public static Role? Parse(string? text) => text switch
    {
        "viewer" => Role.Viewer,
        "deployer" => Role.Deployer,
        "admin" => Role.Admin,
        _ => null,
    };
}
