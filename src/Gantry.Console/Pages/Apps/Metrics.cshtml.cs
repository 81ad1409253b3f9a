using Gantry.Console.Apps;
using Gantry.Console.Releases;
using Gantry.Console.Traffic;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Apps;

/// <summary>
/// An app's metrics over 1h, 6h, 24h or 7d (what `gantry metrics APP --since` reads), drawn on the server as SVG: requests by
/// status class, latency percentiles, CPU and memory per replica, with the releases made in the window marked on each.
/// </summary>
public sealed class MetricsModel(IConsoleApps apps, IConsoleTraffic traffic, IConsoleReleases releases, TimeProvider time) : PageModel
{
    public string Name { get; private set; } = "";

    /// <summary>1h, 6h, 24h or 7d; anything else is 1h.</summary>
    [BindProperty(SupportsGet = true, Name = "range")]
    public string? Range { get; set; }

    public string Window => MetricCharts.Windows.Contains(Range) ? Range! : MetricCharts.Windows[0];

    public IReadOnlyList<(string Service, IReadOnlyList<Chart> Charts)>? Services { get; private set; }

    public int StepSeconds { get; private set; }

    public ApiProblem? Problem { get; private set; }

    public AppNav Nav { get; private set; } = new("", "metrics", false);

    public async Task<IActionResult> OnGetAsync(string app, CancellationToken ct)
    {
        Name = app;
        var metrics = await traffic.MetricsAsync(HttpContext, app, Window, null, ct);
        if (metrics.Problem is { } problem)
        {
            Problem = problem;
            Response.StatusCode = problem.Status;
            return Page();
        }
        var team = (await apps.FindAsync(HttpContext, app, ct))?.Spec?.TeamName;
        Nav = new AppNav(app, "metrics", team is not null && apps.RoleIn(HttpContext, team) >= Role.Deployer);
        var now = time.GetUtcNow();
        var made = (await releases.ListAsync(HttpContext, app, ct) ?? []).Select(r => (r.CreatedAt, r.Number));
        StepSeconds = metrics.Response!.StepSeconds;
        Services = MetricCharts.For(new StepSeries(metrics.Response, now), made, now);
        return Page();
    }
}
