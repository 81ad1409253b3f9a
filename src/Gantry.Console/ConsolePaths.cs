using Microsoft.AspNetCore.Http;

namespace Gantry.Console;

/// <summary>
/// Which requests belong to the console: everything but the API (/api), the registry (/v2), the git remote (/git) and the health check. The
/// console's cookie session runs only on these; the API never reads the cookie, so a browser session cannot be used
/// to call the API from another site.
/// </summary>
public static class ConsolePaths
{
    public const string Login = "/login";

    public const string Logout = "/logout";

    public static bool IsConsole(PathString path) =>
        !(path.StartsWithSegments("/api") || path.StartsWithSegments("/v2") || path.StartsWithSegments("/git") || path.StartsWithSegments("/healthz"));
}
