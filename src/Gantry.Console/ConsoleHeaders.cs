using Microsoft.AspNetCore.Http;

namespace Gantry.Console;

/// <summary>
/// Headers every console response carries: pages are never stored (so the back button after sign-out asks the server
/// again and lands on the sign-in page), may not be framed, and may load nothing but Gantry's own assets (its stylesheet and its small scripts).
/// </summary>
public sealed class ConsoleHeaders(RequestDelegate next)
{
    // Scripts only from Gantry's own embedded files (no inline script, no eval); connect-src for the Logs page's EventSource.
    private const string Policy = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        if (ConsolePaths.IsConsole(context.Request.Path))
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "no-store";
            headers.ContentSecurityPolicy = Policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
        }
        return next(context);
    }
}
