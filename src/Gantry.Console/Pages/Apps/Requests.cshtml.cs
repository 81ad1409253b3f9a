using Gantry.Console.Apps;
using Gantry.Console.Traffic;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Apps;

/// <summary>
/// An app's recent requests through the routers (what `gantry requests APP` lists), newest or slowest first, filtered by
/// status class, path and replica, each with the waterfall of its phases. A GET form: a filtered view is a link to share.
/// </summary>
public sealed class RequestsModel(IConsoleApps apps, IConsoleTraffic traffic) : PageModel
{
    /// <summary>Requests read from the server's ring before filtering, and shown after.</summary>
    public const int Read = 1000;

    public const int Shown = 100;

    public string Name { get; private set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? Order { get; set; }

    /// <summary>2xx, 3xx, 4xx or 5xx; anything else is every status.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Path { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Replica { get; set; }

    public IReadOnlyList<RequestView>? Requests { get; private set; }

    /// <summary>The replicas seen in the requests read, for the filter's choices.</summary>
    public IReadOnlyList<string> Replicas { get; private set; } = [];

    public int Matched { get; private set; }

    public bool Slowest => Order == "slowest";

    public AppNav Nav { get; private set; } = new("", "requests", false);

    public async Task<IActionResult> OnGetAsync(string app, CancellationToken ct)
    {
        Name = app;
        var all = await traffic.RequestsAsync(HttpContext, app, Slowest, Read, ct);
        if (all is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        var team = (await apps.FindAsync(HttpContext, app, ct))?.Spec?.TeamName;
        Nav = new AppNav(app, "requests", team is not null && apps.RoleIn(HttpContext, team) >= Role.Deployer);
        Replicas = [.. all.Select(r => r.Replica).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var matching = all.Where(Matches).ToList();
        Matched = matching.Count;
        Requests = [.. matching.Take(Shown)];
        return Page();
    }

    private bool Matches(RequestView r) =>
        (Status is not { Length: 3 } s || s[1..] != "xx" || r.Status / 100 == s[0] - '0')
        && (string.IsNullOrEmpty(Path) || r.Path.Contains(Path, StringComparison.Ordinal))
        && (string.IsNullOrEmpty(Replica) || r.Replica == Replica);
}
