using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Server.Identity;

namespace Gantry.Server.Auth;

/// <summary>
/// The one rule for a caller acting on an app, asked by the API's access gate and by the console's actions alike: no role
/// in the app's team is 404 (as for an app that does not exist), a role too low is 403 naming the role needed.
/// </summary>
public static class AppAccess
{
    /// <summary>Null when <paramref name="caller"/> holds <paramref name="needed"/> in <paramref name="team"/>, else the problem to answer.</summary>
    public static ApiProblem? Check(Principal caller, string app, string team, Role needed)
    {
        if (caller.IsRouter)
        {
            return Forbidden("the routers' token only reads the route feed and sends the routers' reports");
        }
        var held = caller.RoleIn(team);
        if (held is null)
        {
            return NotFound(app);
        }
        return held >= needed ? null
            : Forbidden($"this needs the {needed.ToString().ToLowerInvariant()} role in team '{team}'; you are {caller.Describe()}");
    }

    public static ApiProblem NotFound(string app) =>
        new("https://gantry.dev/errors/not-found", "Not found", 404) { Detail = $"app '{app}' does not exist" };

    public static ApiProblem Forbidden(string detail) =>
        new("https://gantry.dev/errors/forbidden", "Forbidden", 403) { Detail = detail };
}
