using Gantry.Console.Apps;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Apps;

/// <summary>One app's services and replicas. Another team's app answers 404 exactly like one that does not exist.</summary>
public sealed class DetailModel(IConsoleApps apps) : PageModel
{
    public string Name { get; private set; } = "";

    public AppDetail? App { get; private set; }

    public bool CanDeploy { get; private set; }

    /// <summary>The generation a deploy from the Deploy page just made, to announce.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Deployed { get; set; }

    public async Task<IActionResult> OnGetAsync(string app, CancellationToken ct)
    {
        Name = app;
        App = await apps.FindAsync(HttpContext, app, ct);
        if (App is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        CanDeploy = App.Spec is { } spec && apps.RoleIn(HttpContext, spec.TeamName) >= Role.Deployer;
        return Page();
    }

    public AppNav Nav => new(Name, "overview", CanDeploy);
}
