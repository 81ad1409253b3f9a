using Gantry.Console.Settings;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Settings;

/// <summary>
/// Teams (admins): each with its members and their roles, a form to create one (`gantry teams add`) and one to add a
/// member or change a member's role (`gantry users grant`), all through <see cref="IConsoleSettings"/>.
/// </summary>
public sealed class TeamsModel(IConsoleSettings settings) : PageModel
{
    public IReadOnlyList<TeamView> Teams { get; private set; } = [];

    public IReadOnlyList<UserView> Users { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public SettingsNav Nav => new("teams", settings.IsAdmin(HttpContext));

    /// <summary>The members of <paramref name="team"/> with their role there, by name.</summary>
    public IEnumerable<(string User, Role Role)> MembersOf(string team) =>
        Users.SelectMany(u => u.Teams.Where(t => t.Team == team).Select(t => (u.Name, t.Role))).OrderBy(m => m.Name, StringComparer.Ordinal);

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => LoadAsync(null, ct);

    public async Task<IActionResult> OnPostCreateAsync(string? name, CancellationToken ct)
    {
        var outcome = await settings.CreateTeamAsync(HttpContext, name?.Trim() ?? "", ct);
        return outcome.Problem is { } problem ? await LoadAsync(problem, ct) : Redirect("/settings/teams?done=" + Uri.EscapeDataString($"created team {outcome.Response!.Name}"));
    }

    public async Task<IActionResult> OnPostMemberAsync(string team, string? user, string? role, CancellationToken ct)
    {
        var asked = RoleNames.Parse(role);
        if (asked is null && role != "none")
        {
            return await LoadAsync(new ApiProblem("https://gantry.dev/errors/bad-request", "Bad request", 400) { Detail = $"role '{role}' is not a role: choose viewer, deployer, admin or none" }, ct);
        }
        var outcome = await settings.SetMembershipAsync(HttpContext, user ?? "", team, asked, ct);
        return outcome.Problem is { } problem
            ? await LoadAsync(problem, ct)
            : Redirect("/settings/teams?done=" + Uri.EscapeDataString(asked is { } r ? $"{user} is now {RoleNames.Name(r)} in {team}" : $"{user} is no longer in {team}"));
    }

    private async Task<IActionResult> LoadAsync(ApiProblem? problem, CancellationToken ct)
    {
        var teams = await settings.TeamsAsync(HttpContext, ct);
        if (teams.Problem is { } denied)
        {
            Problem = denied;
            Response.StatusCode = denied.Status;
            return Page();
        }
        Teams = [.. teams.Response!.OrderBy(t => t.Name, StringComparer.Ordinal)];
        Users = (await settings.UsersAsync(HttpContext, ct)).Response ?? [];
        Problem = problem;
        if (problem is not null)
        {
            Response.StatusCode = problem.Status;
        }
        return Page();
    }
}
