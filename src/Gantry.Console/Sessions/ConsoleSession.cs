using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Console.Sessions;

/// <summary>
/// What the session cookie holds: the user's name and their login token (with its expiry). The cookie is encrypted
/// and signed by ASP.NET Core data protection, so the browser can neither read the token nor forge a session.
/// </summary>
public static class ConsoleSession
{
    public const string Scheme = "gantry-console";

    public const string CookieName = "gantry-session";

    /// <summary>A session nobody uses for this long ends; use slides it on, never past the token's expiry.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    private const string TokenClaim = "gantry:token";
    private const string ExpiresClaim = "gantry:token-expires";

    public static ClaimsPrincipal Create(string user, string token, DateTimeOffset? expires)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user), new(TokenClaim, token) };
        if (expires is { } at)
        {
            claims.Add(new Claim(ExpiresClaim, at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    /// <summary>The cookie's first expiry: the idle timeout, or the token's end when that comes first.</summary>
    public static AuthenticationProperties Properties(DateTimeOffset now, DateTimeOffset? tokenExpires) => new()
    {
        IssuedUtc = now,
        ExpiresUtc = tokenExpires is { } end && end < now + IdleTimeout ? end : now + IdleTimeout,
    };

    public static string? TokenOf(ClaimsPrincipal? user) => user?.FindFirst(TokenClaim)?.Value;

    public static DateTimeOffset? TokenExpiresOf(ClaimsPrincipal? user) =>
        user?.FindFirst(ExpiresClaim)?.Value is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>The cookie's settings: HttpOnly, SameSite=Strict, Secure on HTTPS, sliding, and checked against the server on every request.</summary>
    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
        options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        options.Cookie.IsEssential = true;
        options.ExpireTimeSpan = IdleTimeout;
        options.SlidingExpiration = true;
        options.LoginPath = ConsolePaths.Login;
        options.LogoutPath = ConsolePaths.Logout;
        options.AccessDeniedPath = ConsolePaths.Login;
        options.ReturnUrlParameter = "returnUrl";
        options.Events = new CookieAuthenticationEvents
        {
            OnValidatePrincipal = ValidateAsync,
            OnCheckSlidingExpiration = context =>
            {
                // Renewing would carry the cookie past the token's end: let it run out with the token instead.
                if (TokenExpiresOf(context.Principal) is { } end && context.Options.TimeProvider!.GetUtcNow() + IdleTimeout > end)
                {
                    context.ShouldRenew = false;
                }
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>
    /// A session is only as good as its token right now: a revoked token or a removed user ends it on the next request.
    /// Outside the console's paths the cookie is ignored altogether: the API takes bearer tokens only.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var token = TokenOf(context.Principal);
        if (!ConsolePaths.IsConsole(http.Request.Path) || token is null
            || !await http.RequestServices.GetRequiredService<IConsoleIdentity>().ResumeAsync(http, token, http.RequestAborted).ConfigureAwait(false))
        {
            context.RejectPrincipal();
            if (ConsolePaths.IsConsole(http.Request.Path))
            {
                await http.SignOutAsync(Scheme).ConfigureAwait(false);
            }
        }
    }
}
