using Gantry.Console.Assets;
using Gantry.Console.Sessions;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Console;

/// <summary>
/// Plugs the console into the server's host: Razor Pages from this assembly, the cookie session, anti-forgery and the
/// embedded assets. The host provides <see cref="IConsoleIdentity"/> and <see cref="Apps.IConsoleApps"/>.
/// </summary>
public static class ConsoleHost
{
    /// <param name="keys">Where the data-protection keys that encrypt the session and anti-forgery cookies live; kept
    /// with the server's data so sessions survive a restart.</param>
    public static IServiceCollection AddGantryConsole(this IServiceCollection services, DirectoryInfo keys)
    {
        services.AddDataProtection().SetApplicationName("gantry-console").PersistKeysToFileSystem(keys);
        services.AddAuthentication(ConsoleSession.Scheme).AddCookie(ConsoleSession.Scheme, ConsoleSession.Configure);
        services.AddAuthorization();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "gantry-antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddRazorPages(options =>
        {
            // Closed by default, like the API: every page needs a session unless opened here.
            options.Conventions.AuthorizeFolder("/");
            options.Conventions.AllowAnonymousToPage("/Login");
            // One deploy page for a new app (/deploy) and an existing one.
            options.Conventions.AddPageRoute("/Apps/Deploy", "/apps/{app}/deploy");
        }).AddApplicationPart(typeof(ConsoleHost).Assembly);
        services.AddSingleton<ConsoleAssets>();
        return services;
    }

    /// <summary>After routing and the server's own gates: security headers on console responses, then the session.</summary>
    public static void UseGantryConsole(this IApplicationBuilder app)
    {
        app.UseMiddleware<ConsoleHeaders>();
        app.UseAuthentication();
        app.UseAuthorization();
    }

    public static void MapGantryConsole(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorPages().WithMetadata(ConsoleEndpoint.Instance);
        endpoints.ServiceProvider.GetRequiredService<ConsoleAssets>().Map(endpoints);
        Logs.LogStream.Map(endpoints);
        Apps.EventStream.Map(endpoints);
        Live.LiveStream.Map(endpoints);
    }
}
