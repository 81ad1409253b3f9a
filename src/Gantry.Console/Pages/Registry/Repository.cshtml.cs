using Gantry.Console.Registry;
using Gantry.Model.Api;
using Gantry.Model.Api.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Registry;

/// <summary>
/// One repository: its tags newest first with digest, size and who pushed when, the retention rules that apply, and (for
/// whoever may delete there) a delete of each tag or manifest behind a confirmation, as `gantry registry tags REPO` shows it.
/// Another team's repository answers 404 exactly like one that does not exist.
/// </summary>
public sealed class RepositoryModel(IConsoleRegistry registry) : PageModel
{
    public string Name { get; private set; } = "";

    public RepositoryDetail? Detail { get; private set; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> TagsByDigest { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    public ApiProblem? Problem { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public async Task<IActionResult> OnGetAsync(string repository, CancellationToken ct)
    {
        Name = repository;
        var found = await registry.RepositoryAsync(HttpContext, repository, ct);
        if (found.Problem is { } problem)
        {
            Problem = problem;
            Response.StatusCode = problem.Status;
            return Page();
        }
        Detail = found.Response;
        TagsByDigest = RegistryDisplay.TagsByDigest(Detail!.Tags);
        return Page();
    }
}
