using System.Globalization;
using Gantry.Console.Settings;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Settings;

/// <summary>
/// The audit log (admins): every change, who made it, from where and the outcome, newest first, filtered by user, action,
/// app and time (a GET form, so a filtered view is a link), in pages of <see cref="PageSize"/> going back by entry id.
/// </summary>
public sealed class AuditModel(IConsoleSettings settings) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? App { get; set; }

    /// <summary>From this moment (a datetime-local value, read as UTC).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Since { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Until { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<AuditEntryView> Entries { get; private set; } = [];

    public ApiProblem? Problem { get; private set; }

    public SettingsNav Nav => new("audit", settings.IsAdmin(HttpContext));

    /// <summary>The link to the page of older entries, with the same filters; null on the last page.</summary>
    public string? OlderLink { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (since, sinceError) = ParseTime("since", Since);
        var (until, untilError) = ParseTime("until", Until);
        if ((sinceError ?? untilError) is { } error)
        {
            Problem = new ApiProblem("https://gantry.dev/errors/bad-request", "Bad request", 400) { Detail = error };
            Response.StatusCode = 400;
            return Page();
        }
        var outcome = await settings.AuditAsync(HttpContext, new AuditFilter
        {
            Actor = Blank(Actor),
            Action = Blank(Action),
            App = Blank(App),
            Since = since,
            Until = until,
            Before = Before,
            Limit = PageSize,
        }, ct);
        if (outcome.Problem is { } problem)
        {
            Problem = problem;
            Response.StatusCode = problem.Status;
            return Page();
        }
        Entries = outcome.Response!;
        if (Entries.Count == PageSize)
        {
            var query = new List<string>();
            foreach (var (name, value) in new[] { ("actor", Actor), ("action", Action), ("app", App), ("since", Since), ("until", Until) })
            {
                if (Blank(value) is { } v)
                {
                    query.Add($"{name}={Uri.EscapeDataString(v)}");
                }
            }
            query.Add("before=" + Entries[^1].Id.ToString(CultureInfo.InvariantCulture));
            OlderLink = "/settings/audit?" + string.Join('&', query);
        }
        return Page();
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The form's datetime-local ("2026-12-05T13:10"), or a full ISO time; the error names the field and the form expected.</summary>
    private static (DateTimeOffset? Value, string? Error) ParseTime(string field, string? text) =>
        Blank(text) is not { } value ? (null, null)
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? (at, null)
        : (null, $"{field}={value} is not a time: use YYYY-MM-DDTHH:MM in UTC, such as 2026-12-05T13:10");
}
