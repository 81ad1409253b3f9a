using Gantry.Console.Settings;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Settings;

/// <summary>
/// API tokens, for every signed-in user: their own (an admin sees every user's, metadata only), a form to create one with a
/// scope (a team, a role no higher than theirs) and an expiry, shown once, and revoke, as `gantry tokens create|list|revoke`.
/// </summary>
public sealed class TokensModel(IConsoleSettings settings, TimeProvider time) : PageModel
{
    /// <summary>The lifetimes the form offers, in seconds; 0 is "never", which the server allows admins only.</summary>
    public static IReadOnlyList<(long Seconds, string Label)> Lifetimes { get; } =
        [(3600, "1 hour"), (86_400, "1 day"), (7 * 86_400, "7 days"), (30 * 86_400, "30 days"), (90 * 86_400, "90 days"), (365 * 86_400, "1 year"), (0, "never (admins)")];

    public IReadOnlyList<TokenView> Tokens { get; private set; } = [];

    public IReadOnlyList<TeamMembership> Scopes { get; private set; } = [];

    public bool IsAdmin { get; private set; }

    public ApiProblem? Problem { get; private set; }

    /// <summary>The token just created with its secret: in the POST's answer only, never in a URL or the store.</summary>
    public TokenCreated? Created { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public DateTimeOffset Now => time.GetUtcNow();

    public SettingsNav Nav => new("tokens", IsAdmin);

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => LoadAsync(null, ct);

    public async Task<IActionResult> OnPostCreateAsync(string? description, string? team, string? role, long? expires, CancellationToken ct)
    {
        var request = new TokenCreateRequest
        {
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            Team = string.IsNullOrEmpty(team) ? null : team,
            Role = RoleNames.Parse(role),
            ExpiresInSeconds = expires ?? 30 * 86_400,
        };
        var outcome = await settings.CreateTokenAsync(HttpContext, request, ct);
        if (outcome.Problem is { } problem)
        {
            return await LoadAsync(problem, ct);
        }
        Created = outcome.Response;
        return await LoadAsync(null, ct);
    }

    public async Task<IActionResult> OnPostRevokeAsync(string id, CancellationToken ct)
    {
        var outcome = await settings.RevokeTokenAsync(HttpContext, id, ct);
        return outcome.Problem is { } problem ? await LoadAsync(problem, ct) : Redirect("/settings/tokens?done=" + Uri.EscapeDataString($"revoked token {id}"));
    }

    public static string Scope(TokenView token) => $"{token.Team ?? "all teams"}, {RoleNames.Name(token.Role)}";

    private async Task<IActionResult> LoadAsync(ApiProblem? problem, CancellationToken ct)
    {
        IsAdmin = settings.IsAdmin(HttpContext);
        Tokens = await settings.TokensAsync(HttpContext, ct);
        Scopes = settings.TokenScopes(HttpContext);
        Problem = problem;
        if (problem is not null)
        {
            Response.StatusCode = problem.Status;
        }
        return Page();
    }
}
