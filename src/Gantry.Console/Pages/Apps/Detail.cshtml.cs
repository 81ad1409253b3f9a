using Gantry.Console.Apps;
using Gantry.Console.Traffic;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Apps;

/// <summary>
/// One app: its services and replicas, a scale form for deployers (`gantry scale`, checked again by the server on POST)
/// and its newest events. Another team's app answers 404 exactly like one that does not exist.
/// </summary>
public sealed class DetailModel(IConsoleApps apps, IConsoleTraffic traffic, TimeProvider time) : PageModel
{
    /// <summary>Events shown, newest first (`gantry events APP` has the rest).</summary>
    public const int EventCount = 50;

    public string Name { get; private set; } = "";

    public AppDetail? App { get; private set; }

    public bool CanDeploy { get; private set; }

    public IReadOnlyList<EventView> Events { get; private set; } = [];

    /// <summary>Each replica's newest CPU (fraction of its limit) and memory (bytes) from the sampler, by replica name.</summary>
    public Dictionary<string, (double? Cpu, double? MemoryBytes)> Usage { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<RouteStatsView> Routes { get; private set; } = [];

    /// <summary>The generation a deploy from the Deploy page just made, to announce.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Deployed { get; set; }

    /// <summary>What a scale from this page just set ("web=2"), to announce.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Scaled { get; set; }

    /// <summary>The scale form's counts by service.</summary>
    [BindProperty]
    public Dictionary<string, int> Replicas { get; set; } = new(StringComparer.Ordinal);

    public ApiProblem? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string app, CancellationToken ct)
    {
        await LoadAsync(app, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string app, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            await LoadAsync(app, ct);
            return Refused(new ApiProblem("https://gantry.dev/errors/bad-request", "Bad request", StatusCodes.Status400BadRequest)
            {
                Detail = "replica counts are whole numbers (0 to 1000)",
            });
        }
        // Only what changed is sent, as `gantry scale APP web=2` names only what it sets; the server checks the role again.
        var current = (await apps.FindAsync(HttpContext, app, ct))?.Spec?.Services.ToDictionary(s => s.Name, s => s.Replicas, StringComparer.Ordinal) ?? [];
        var changes = Replicas.Where(r => !current.TryGetValue(r.Key, out var n) || n != r.Value).ToDictionary(StringComparer.Ordinal);
        if (changes.Count == 0)
        {
            return Redirect($"/apps/{Uri.EscapeDataString(app)}");
        }
        var outcome = await apps.ScaleAsync(HttpContext, app, changes, ct);
        if (outcome.Problem is { } problem)
        {
            await LoadAsync(app, ct);
            return Refused(problem);
        }
        var said = string.Join(", ", changes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
        return Redirect($"/apps/{Uri.EscapeDataString(app)}?scaled={Uri.EscapeDataString(said)}");
    }

    private async Task LoadAsync(string app, CancellationToken ct)
    {
        Name = app;
        App = await apps.FindAsync(HttpContext, app, ct);
        if (App is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        CanDeploy = App.Spec is { } spec && apps.RoleIn(HttpContext, spec.TeamName) >= Role.Deployer;
        Events = await apps.EventsAsync(HttpContext, app, EventCount, ct) ?? [];
        Routes = await traffic.RoutesAsync(HttpContext, app, ct) ?? [];
        // The last two minutes in 10 s slots: an idle replica is read once a minute, so its newest figure is in there.
        if ((await traffic.MetricsAsync(HttpContext, app, "2m", "10s", ct)).Response is { } metrics)
        {
            var steps = new StepSeries(metrics, time.GetUtcNow());
            foreach (var service in steps.Services)
            {
                foreach (var replica in steps.Replicas(service))
                {
                    Usage[replica] = (Newest(steps.Values(MetricNames.Cpu, service, replica)), Newest(steps.Values(MetricNames.MemoryBytes, service, replica)));
                }
            }
        }
    }

    private static double? Newest(double?[] values) => values.LastOrDefault(v => v is not null);

    private PageResult Refused(ApiProblem problem)
    {
        Problem = problem;
        // A missing or hidden app stays the plain 404 page, whatever was posted.
        Response.StatusCode = App is null ? StatusCodes.Status404NotFound : problem.Status;
        return Page();
    }

    public AppNav Nav => new(Name, "overview", CanDeploy);
}
