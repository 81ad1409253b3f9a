using Gantry.Console.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages;

/// <summary>
/// Sign-out, by POST with the anti-forgery token only (a link or another site cannot sign a user out): revokes the
/// session's token on the server, then drops the cookie.
/// </summary>
public sealed class LogoutModel(IConsoleIdentity identity) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ConsoleSession.TokenOf(User) is { } token)
        {
            await identity.SignOutAsync(HttpContext, token, ct);
        }
        await HttpContext.SignOutAsync(ConsoleSession.Scheme);
        return Redirect(ConsolePaths.Login);
    }
}
