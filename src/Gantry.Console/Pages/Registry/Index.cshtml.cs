using System.Globalization;
using Gantry.Console.Registry;
using Gantry.Console.Settings;
using Gantry.Model.Api;
using Gantry.Model.Api.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Registry;

/// <summary>
/// The Registry page: the repositories the user may pull with their newest push, the retention rules (admins add and remove
/// them) and the collector's runs (admins start one), as `gantry registry`, `registry retention` and `registry gc` show them.
/// </summary>
public sealed class RegistryModel(IConsoleRegistry registry, IConsoleSettings settings) : PageModel
{
    public IReadOnlyList<RepositoryView> Repositories { get; private set; } = [];

    public IReadOnlyList<RetentionRuleView> Rules { get; private set; } = [];

    public IReadOnlyList<GcRunView> Runs { get; private set; } = [];

    /// <summary>What a collection would delete now (admins asked for the preview); null otherwise.</summary>
    public GcPreviewView? Preview { get; private set; }

    public bool IsAdmin { get; private set; }

    public ApiProblem? Problem { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    /// <summary>The address `docker login` and `docker push` use: the one this page was asked for.</summary>
    public string Host => Request.Host.Value ?? "SERVER";

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => LoadAsync(null, ct);

    /// <summary>`gantry registry gc run --dry-run`: a GET (it changes nothing), shown above the runs; refused below admin.</summary>
    public async Task<IActionResult> OnGetPreviewAsync(CancellationToken ct)
    {
        var outcome = await registry.PreviewGcAsync(HttpContext, ct);
        Preview = outcome.Response;
        return await LoadAsync(outcome.Problem, ct);
    }

    public async Task<IActionResult> OnPostRetentionAsync(string? repository, string? keepLast, string? keepMatching, CancellationToken ct)
    {
        int? keep = null;
        if (!string.IsNullOrWhiteSpace(keepLast))
        {
            if (!int.TryParse(keepLast.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                return await LoadAsync(new ApiProblem("https://gantry.dev/errors/bad-request", "Bad request", StatusCodes.Status400BadRequest)
                {
                    Detail = $"keep-last '{keepLast}' is not a whole number: give how many of the newest tags to keep",
                }, ct);
            }
            keep = parsed;
        }
        var rule = new RetentionRuleView(repository?.Trim() ?? "", keep, string.IsNullOrWhiteSpace(keepMatching) ? null : keepMatching);
        var outcome = await registry.SetRetentionAsync(HttpContext, rule, ct);
        return outcome.Problem is { } problem
            ? await LoadAsync(problem, ct)
            : Redirect("/registry?done=" + Uri.EscapeDataString($"retention for {outcome.Response!.Repository}: {RegistryDisplay.Rule(outcome.Response)}"));
    }

    public async Task<IActionResult> OnPostRemoveRetentionAsync(string? pattern, CancellationToken ct)
    {
        var outcome = await registry.RemoveRetentionAsync(HttpContext, pattern ?? "", ct);
        return outcome.Problem is { } problem
            ? await LoadAsync(problem, ct)
            : Redirect("/registry?done=" + Uri.EscapeDataString($"removed the retention rule for {outcome.Response!.Repository}"));
    }

    public async Task<IActionResult> OnPostGcAsync(CancellationToken ct)
    {
        var outcome = await registry.RunGcAsync(HttpContext, ct);
        return outcome.Problem is { } problem
            ? await LoadAsync(problem, ct)
            : Redirect("/registry?done=" + Uri.EscapeDataString($"garbage collection run {outcome.Response!.Id}: {RegistryDisplay.Outcome(outcome.Response)}") + "#gc");
    }

    private async Task<IActionResult> LoadAsync(ApiProblem? problem, CancellationToken ct)
    {
        IsAdmin = settings.IsAdmin(HttpContext);
        Repositories = await registry.RepositoriesAsync(HttpContext, ct);
        Rules = await registry.RetentionAsync(HttpContext, ct);
        Runs = await registry.RunsAsync(HttpContext, ct);
        Problem = problem;
        if (problem is not null)
        {
            Response.StatusCode = problem.Status;
        }
        return Page();
    }
}
