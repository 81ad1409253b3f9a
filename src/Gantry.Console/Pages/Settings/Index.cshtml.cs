using Gantry.Console.Settings;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gantry.Console.Pages.Settings;

/// <summary>`/settings`: an admin lands on Users, anyone else on their tokens (the only settings they have).</summary>
public sealed class IndexModel(IConsoleSettings settings) : PageModel
{
    public IActionResult OnGet() => Redirect(settings.IsAdmin(HttpContext) ? "/settings/users" : "/settings/tokens");
}
