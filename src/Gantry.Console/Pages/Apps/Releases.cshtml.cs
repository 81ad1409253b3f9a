using Gantry.Console.Apps;
using Gantry.Console.Releases;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Apps;

/// <summary>
/// An app's releases, newest first, each with its masked diff against the one before (as `gantry release APP N` shows it),
/// and for deployers the way to roll back. After a rollback the page names the release it made.
/// </summary>
public sealed class ReleasesModel(IConsoleApps apps, IConsoleReleases releases) : PageModel
{
    public string Name { get; private set; } = "";

    public IReadOnlyList<ReleaseView>? Releases { get; private set; }

    public bool CanDeploy { get; private set; }

    /// <summary>The pushed commits of the app this one is an environment of, newest first (the ten newest shown).</summary>
    public IReadOnlyList<PipelineRun> Pipelines { get; private set; } = [];

    /// <summary>The release a rollback from this console just made, to announce.</summary>
    public ReleaseView? RolledBack { get; private set; }

    public async Task<IActionResult> OnGetAsync(string app, long? rolledBack, CancellationToken ct)
    {
        Name = app;
        Releases = await releases.ListAsync(HttpContext, app, ct);
        if (Releases is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Pipelines = await releases.PipelinesAsync(HttpContext, app, ct) ?? [];
        var detail = await apps.FindAsync(HttpContext, app, ct);
        CanDeploy = detail?.Spec is { } spec && apps.RoleIn(HttpContext, spec.TeamName) >= Role.Deployer;
        RolledBack = rolledBack is { } number ? Releases.FirstOrDefault(r => r.Number == number) : null;
        return Page();
    }

    public AppNav Nav => new(Name, "releases", CanDeploy);
}
