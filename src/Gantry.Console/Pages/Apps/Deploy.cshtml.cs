using System.Text;
using Gantry.Console.Apps;
using Gantry.Console.Deploys;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Apps;

/// <summary>
/// Deploy from the browser (`/deploy` for a new app, `/apps/{app}/deploy` for an existing one): paste a compose file or
/// upload files, "Check" runs the pre-deploy check (`gantry deploy --check`) and shows its plan, warnings and refusals
/// in the CLI's words, "Deploy" deploys and goes to the app's page. The server decides who may, whatever this page shows.
/// </summary>
public sealed class DeployModel(IConsoleApps apps, IConsoleDeploys deploys) : PageModel
{
    /// <summary>The name a pasted compose file gets in the project (the CLI's default file name).</summary>
    public const string PastedName = "compose.yaml";

    /// <summary>The app from the route (an existing app's page), else null: a new app, named in the form.</summary>
    [FromRoute(Name = "app")]
    public string? Existing { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Team { get; set; }

    [BindProperty]
    public string Environment { get; set; } = "production";

    [BindProperty]
    public string? Compose { get; set; }

    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    /// <summary>Which button: "check" or "deploy".</summary>
    [BindProperty]
    public string? Action { get; set; }

    public DeployTeams Teams { get; private set; } = new([], false);

    /// <summary>The pre-deploy check's answer, after "Check".</summary>
    public DeployResponse? Checked { get; private set; }

    public ApiProblem? Problem { get; private set; }

    public bool Missing { get; private set; }

    public string AppName => Existing ?? Name?.Trim() ?? "";

    public AppNav Nav => new(Existing ?? "", "deploy", true);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await AllowedAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await AllowedAsync(ct))
        {
            // The page said no; the server would too (its deploy checks the role again), so nothing is sent.
            return Page();
        }
        var (files, compose, problem) = await ReadFilesAsync(ct);
        if (problem is not null)
        {
            return Refused(problem);
        }
        var dryRun = Action != "deploy";
        var outcome = await deploys.DeployAsync(HttpContext, AppName, new ConsoleDeployRequest(files, compose, Existing is null ? Team : null, Environment, dryRun), ct);
        if (outcome.Problem is { } refused)
        {
            return Refused(refused);
        }
        if (dryRun)
        {
            Checked = outcome.Response;
            return Page();
        }
        return Redirect($"/apps/{Uri.EscapeDataString(AppName)}?deployed={outcome.Response!.Generation}");
    }

    /// <summary>An existing app must be visible (else 404) and deployable (else 403), as the server's own check will say.</summary>
    private async Task<bool> AllowedAsync(CancellationToken ct)
    {
        Teams = deploys.TeamsFor(HttpContext);
        if (Existing is null)
        {
            if (Teams.Teams.Count == 0 && !Teams.Any)
            {
                Refused(new ApiProblem("https://gantry.dev/errors/forbidden", "Forbidden", StatusCodes.Status403Forbidden)
                {
                    Detail = "deploying needs the deployer role in a team; you have none",
                });
                return false;
            }
            return true;
        }
        var app = await apps.FindAsync(HttpContext, Existing, ct);
        if (app?.Spec is not { } spec)
        {
            Missing = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }
        if (apps.RoleIn(HttpContext, spec.TeamName) < Role.Deployer)
        {
            Refused(new ApiProblem("https://gantry.dev/errors/forbidden", "Forbidden", StatusCodes.Status403Forbidden)
            {
                Detail = $"deploying app '{Existing}' needs the deployer role in team '{spec.TeamName}'",
            });
            return false;
        }
        return true;
    }

    /// <summary>The pasted file first (as compose.yaml), then the uploads; every .yaml/.yml is a compose file, in that order.</summary>
    private async Task<(List<ConsoleFile> Files, List<string> Compose, ApiProblem? Problem)> ReadFilesAsync(CancellationToken ct)
    {
        var files = new List<ConsoleFile>();
        var compose = new List<string>();
        if (!string.IsNullOrWhiteSpace(Compose))
        {
            // Browsers send a textarea's lines with CRLF; the file the user meant has the line numbers either way.
            files.Add(new ConsoleFile(PastedName, Encoding.UTF8.GetBytes(Compose.ReplaceLineEndings("\n"))));
            compose.Add(PastedName);
        }
        foreach (var upload in Files)
        {
            var name = Path.GetFileName(upload.FileName.Replace('\\', '/'));
            if (name.Length == 0 || name is "." or "..")
            {
                return (files, compose, BadRequest($"'{upload.FileName}' is not a file name"));
            }
            if (files.Any(f => f.Name == name))
            {
                return (files, compose, BadRequest($"two files are named '{name}'{(name == PastedName ? " (the pasted file is compose.yaml)" : "")}: rename one"));
            }
            using var content = new MemoryStream();
            await upload.CopyToAsync(content, ct);
            files.Add(new ConsoleFile(name, content.ToArray()));
            if (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            {
                compose.Add(name);
            }
        }
        return compose.Count == 0
            ? (files, compose, BadRequest("there is no compose file: paste one, or choose .yaml/.yml files"))
            : (files, compose, null);
    }

    private static ApiProblem BadRequest(string detail) =>
        new("https://gantry.dev/errors/bad-request", "Bad request", StatusCodes.Status400BadRequest) { Detail = detail };

    private PageResult Refused(ApiProblem problem)
    {
        Problem = problem;
        Response.StatusCode = problem.Status;
        return Page();
    }
}
