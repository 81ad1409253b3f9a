using Gantry.Console.Apps;
using Gantry.Console.Deploys;
using Gantry.Model.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages;

/// <summary>The apps of the signed-in user's teams, as `GET /api/v1/apps` lists them for the same user.</summary>
public sealed class IndexModel(IConsoleApps apps, IConsoleDeploys deploys) : PageModel
{
    public IReadOnlyList<AppSummary> Apps { get; private set; } = [];

    /// <summary>The user may create an app in some team: the page offers the Deploy page.</summary>
    public bool CanDeploy { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Apps = await apps.ListAsync(HttpContext, ct);
        var teams = deploys.TeamsFor(HttpContext);
        CanDeploy = teams.Any || teams.Teams.Count > 0;
    }
}
