using Microsoft.AspNetCore.Http;

namespace Gantry.Console;

/// <summary>
/// Headers every console response carries: pages are never stored (so the back button after sign-out asks the server
/// again and lands on the sign-in page), may not be framed, and may load nothing but Gantry's own assets.
/// </summary>
public sealed class ConsoleHeaders(RequestDelegate next)
{
    private const string Policy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

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
