using Gantry.Console.Apps;
using Gantry.Console.Logs;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Apps;

/// <summary>
/// An app's logs: the last lines of its replicas, filtered by service and text, rendered by the server (so the page works
/// without JavaScript); with it, logs.js follows new lines over Server-Sent Events (<see cref="LogStream"/>) and can pause.
/// </summary>
public sealed class LogsModel(IConsoleApps apps, IConsoleLogs logs) : PageModel
{
    /// <summary>Lines rendered per replica, as `gantry logs --tail`.</summary>
    public const int Tail = 200;

    public string Name { get; private set; } = "";

    public AppDetail? App { get; private set; }

    public bool CanDeploy { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Service { get; set; }

    /// <summary>Text a line must contain (any case).</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Text { get; set; }

    public IReadOnlyList<LogLine> Lines { get; private set; } = [];

    public IReadOnlyList<string> Services { get; private set; } = [];

    /// <summary>Where logs.js follows the same filter.</summary>
    public string StreamUrl => $"/apps/{Uri.EscapeDataString(Name)}/logs/stream?service={Uri.EscapeDataString(Service ?? "")}&q={Uri.EscapeDataString(Text ?? "")}";

    public async Task<IActionResult> OnGetAsync(string app, CancellationToken ct)
    {
        Name = app;
        App = await apps.FindAsync(HttpContext, app, ct);
        if (App?.Spec is not { } spec)
        {
            App = null;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        CanDeploy = apps.RoleIn(HttpContext, spec.TeamName) >= Role.Deployer;
        Services = spec.Services.Select(s => s.Name).ToList();
        if (string.IsNullOrEmpty(Service) || !Services.Contains(Service))
        {
            Service = null;
        }
        var lines = new List<LogLine>();
        if (await logs.OpenAsync(HttpContext, app, Service, follow: false, Tail, ct) is { } read)
        {
            await foreach (var line in read.WithCancellation(ct))
            {
                if (LogFilter.Matches(line, Text))
                {
                    lines.Add(line);
                }
            }
        }
        Lines = lines;
        return Page();
    }

    public AppNav Nav => new(Name, "logs", CanDeploy);
}
