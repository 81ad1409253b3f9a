using Gantry.Console.Releases;
using Gantry.Model.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Apps;

/// <summary>
/// One-click rollback with a confirmation that says what will happen (the server's own decision: swap back to warm
/// replicas, or start the old release again). Deployers only: the server refuses anyone else on GET and POST alike,
/// with the API's status (404 for another team's app, 403 below deployer).
/// </summary>
public sealed class RollbackModel(IConsoleReleases releases) : PageModel
{
    public string Name { get; private set; } = "";

    /// <summary>The release to go back to; none means the one before the current release.</summary>
    [BindProperty(SupportsGet = true)]
    public long? To { get; set; }

    public RollbackPreview? Preview { get; private set; }

    public ApiProblem? Problem { get; private set; }

    public ReleaseView? Target { get; private set; }

    public async Task<IActionResult> OnGetAsync(string app, CancellationToken ct)
    {
        Name = app;
        var preview = await releases.PreviewRollbackAsync(HttpContext, app, To, ct);
        if (preview.Problem is { } problem)
        {
            return Refused(problem);
        }
        Preview = preview.Response;
        Target = (await releases.ListAsync(HttpContext, app, ct))?.FirstOrDefault(r => r.Number == Preview!.Target);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string app, CancellationToken ct)
    {
        Name = app;
        var outcome = await releases.RollbackAsync(HttpContext, app, To, ct);
        if (outcome.Problem is { } problem)
        {
            return Refused(problem);
        }
        return Redirect($"/apps/{Uri.EscapeDataString(app)}/releases?rolledBack={outcome.Response!.Release}");
    }

    private PageResult Refused(ApiProblem problem)
    {
        Problem = problem;
        Response.StatusCode = problem.Status;
        return Page();
    }

    public AppNav Nav => new(Name, "releases", Problem is not { Status: 403 });
}
