using Gantry.Console.Apps;
using Gantry.Model.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages;

/// <summary>The apps of the signed-in user's teams, as `GET /api/v1/apps` lists them for the same user.</summary>
public sealed class IndexModel(IConsoleApps apps) : PageModel
{
    public IReadOnlyList<AppSummary> Apps { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Apps = await apps.ListAsync(HttpContext, ct);
}
