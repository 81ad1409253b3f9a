using Gantry.Console.Registry;
using Gantry.Model.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Registry;

/// <summary>
/// Deleting a tag (`REPO:TAG`) or a manifest with its tags (`REPO@DIGEST`) after a confirmation that says which, as
/// `gantry registry rm` does. The registry's delete grant (admins) is checked by the server on POST whatever the page showed;
/// the page itself shows the confirmation only to someone who holds it.
/// </summary>
public sealed class DeleteModel(IConsoleRegistry registry) : PageModel
{
    public string Image { get; private set; } = "";

    public string Repository { get; private set; } = "";

    public bool IsDigest { get; private set; }

    public string WhatHappens { get; private set; } = "";

    public ApiProblem? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string image, CancellationToken ct)
    {
        Image = image;
        if (RegistryDisplay.Parse(image) is not var (repository, _, isDigest))
        {
            return Refused(new ApiProblem("https://gantry.dev/errors/bad-request", "Bad request", StatusCodes.Status400BadRequest)
            {
                Detail = $"'{image}' is not an image reference: REPOSITORY:TAG (deletes the tag) or REPOSITORY@sha256:DIGEST (deletes the manifest and its tags)",
            });
        }
        (Repository, IsDigest) = (repository, isDigest);
        var found = await registry.RepositoryAsync(HttpContext, repository, ct);
        if (found.Problem is { } problem)
        {
            return Refused(problem);
        }
        if (!found.Response!.CanDelete)
        {
            return Refused(new ApiProblem("https://gantry.dev/errors/forbidden", "Forbidden", StatusCodes.Status403Forbidden)
            {
                Detail = $"deleting images in '{repository}' needs the admin role; you are {User.Identity?.Name}",
            });
        }
        WhatHappens = RegistryDisplay.WhatHappens(image, found.Response.Tags);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string image, CancellationToken ct)
    {
        Image = image;
        Repository = RegistryDisplay.Parse(image)?.Repository ?? "";
        var outcome = await registry.DeleteAsync(HttpContext, image, ct);
        if (outcome.Problem is { } problem)
        {
            return Refused(problem);
        }
        var deleted = outcome.Response!;
        var what = deleted.Tags.Count == 0 ? $"deleted manifest {RegistryDisplay.ShortDigest(deleted.Digest)}"
            : $"deleted {(image.Contains('@', StringComparison.Ordinal) ? $"manifest {RegistryDisplay.ShortDigest(deleted.Digest)} with " : "")}tag{(deleted.Tags.Count == 1 ? "" : "s")} {string.Join(", ", deleted.Tags)}";
        return Redirect($"/registry/repositories/{deleted.Repository}?done={Uri.EscapeDataString(what)}");
    }

    private PageResult Refused(ApiProblem problem)
    {
        Problem = problem;
        Response.StatusCode = problem.Status;
        return Page();
    }
}
