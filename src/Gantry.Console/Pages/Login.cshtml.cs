using System.Globalization;
using Gantry.Console.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages;

/// <summary>
/// The sign-in form. The password is checked by the server under the API's failure limit; a success keeps the
/// issued login token in the session cookie and goes back to where the user was sent from (local addresses only,
/// so a crafted link cannot bounce a fresh session to another site).
/// </summary>
public sealed class LoginModel(IConsoleIdentity identity, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(Destination) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await identity.SignInAsync(HttpContext, Username ?? "", Password ?? "", ct);
        switch (outcome.Status)
        {
            case SignInStatus.SignedIn:
                await HttpContext.SignInAsync(ConsoleSession.Scheme,
                    ConsoleSession.Create(outcome.User!, outcome.Token!, outcome.Expires),
                    ConsoleSession.Properties(time.GetUtcNow(), outcome.Expires));
                return LocalRedirect(Destination);
            case SignInStatus.LockedOut:
                var seconds = (int)Math.Ceiling(outcome.RetryAfter!.Value.TotalSeconds);
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                Error = $"Too many failed sign-ins for this user or from this address. Try again in {seconds} s.";
                return Page();
            default:
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                Error = "The user name or password is wrong.";
                return Page();
        }
    }

    private string Destination => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
}
