using Gantry.Console.Settings;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Settings;

/// <summary>
/// Users (admins): create one with a generated password shown once, give or take a role in a team, disable, enable,
/// remove. Each action is the API's (`/api/v1/users`) through <see cref="IConsoleSettings"/>, which refuses anyone but an
/// admin with the API's 403 whatever the page showed. Posts name the user in the path, so the audit log says whom.
/// </summary>
public sealed class UsersModel(IConsoleSettings settings) : PageModel
{
    public IReadOnlyList<UserView> Users { get; private set; } = [];

    public IReadOnlyList<TeamView> Teams { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    /// <summary>The user just created and their one-time password: rendered in the POST's answer only, never in a URL.</summary>
    public NewUser? Created { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public SettingsNav Nav => new("users", settings.IsAdmin(HttpContext));

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => LoadAsync(null, ct);

    public async Task<IActionResult> OnPostCreateAsync(string? name, string? team, string? role, CancellationToken ct)
    {
        if (RoleNames.Parse(role) is not { } asked)
        {
            return await LoadAsync(BadRequest($"role '{role}' is not a role: choose viewer, deployer or admin"), ct);
        }
        var outcome = await settings.CreateUserAsync(HttpContext, name?.Trim() ?? "", team ?? "", asked, ct);
        if (outcome.Problem is { } problem)
        {
            return await LoadAsync(problem, ct);
        }
        Created = outcome.Response;
        return await LoadAsync(null, ct);
    }

    public async Task<IActionResult> OnPostRoleAsync(string user, string? team, string? role, CancellationToken ct)
    {
        // "none" takes the membership away, as `gantry users revoke` does.
        var asked = RoleNames.Parse(role);
        if (asked is null && role != "none")
        {
            return await LoadAsync(BadRequest($"role '{role}' is not a role: choose viewer, deployer, admin or none"), ct);
        }
        var outcome = await settings.SetMembershipAsync(HttpContext, user, team ?? "", asked, ct);
        return await AfterAsync(outcome.Problem, asked is { } r ? $"{user} is now {RoleNames.Name(r)} in {team}" : $"{user} is no longer in {team}", ct);
    }

    public async Task<IActionResult> OnPostDisableAsync(string user, CancellationToken ct) =>
        await AfterAsync((await settings.SetDisabledAsync(HttpContext, user, true, ct)).Problem, $"disabled {user}: their password and tokens no longer work", ct);

    public async Task<IActionResult> OnPostEnableAsync(string user, CancellationToken ct) =>
        await AfterAsync((await settings.SetDisabledAsync(HttpContext, user, false, ct)).Problem, $"enabled {user}", ct);

    public async Task<IActionResult> OnPostRemoveAsync(string user, CancellationToken ct) =>
        await AfterAsync((await settings.RemoveUserAsync(HttpContext, user, ct)).Problem, $"removed {user} and their tokens", ct);

    private async Task<IActionResult> AfterAsync(ApiProblem? problem, string done, CancellationToken ct) =>
        problem is null ? Redirect("/settings/users?done=" + Uri.EscapeDataString(done)) : await LoadAsync(problem, ct);

    private async Task<IActionResult> LoadAsync(ApiProblem? problem, CancellationToken ct)
    {
        var users = await settings.UsersAsync(HttpContext, ct);
        if (users.Problem is { } denied)
        {
            Problem = denied;
            Response.StatusCode = denied.Status;
            return Page();
        }
        Users = users.Response!;
        Teams = (await settings.TeamsAsync(HttpContext, ct)).Response ?? [];
        Problem = problem;
        if (problem is not null)
        {
            Response.StatusCode = problem.Status;
        }
        return Page();
    }

    private static ApiProblem BadRequest(string detail) =>
        new("https://gantry.dev/errors/bad-request", "Bad request", 400) { Detail = detail };
}
