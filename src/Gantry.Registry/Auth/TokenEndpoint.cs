using System.Globalization;
using System.Text.Json;
using Gantry.Registry.Api;
using Gantry.Registry.Content;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Auth;

/// <summary>
/// The token endpoint of the Docker token flow: GET with optional Basic credentials, or POST with an OAuth2 password
/// grant form. It grants, per requested scope, only the actions the principal (or anonymous pull) allows.
/// </summary>
public sealed class TokenEndpoint(RegistryOptions options, RegistryTokenService tokens, CredentialCheck credentials)
{
    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        string? user = null;
        string? secret = null;
        List<string> scopes = [.. context.Request.Query["scope"].Where(s => s is not null).Select(s => s!)];

        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            string? grant = form["grant_type"];
            if (grant != "password")
            {
                await ApiResponses.WriteErrorAsync(context, new RegistryError(400, "UNSUPPORTED",
                    $"grant_type '{grant}' is not supported; use grant_type=password with username and password")).ConfigureAwait(false);
                return;
            }

            user = form["username"];
            secret = form["password"];
            foreach (string? s in form["scope"])
            {
                if (s is not null)
                {
                    // The OAuth2 form puts several scopes in one space-separated value.
                    scopes.AddRange(s.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                }
            }
        }
        else if (BasicCredentials.TryParse(context.Request.Headers.Authorization, out string u, out string p))
        {
            user = u;
            secret = p;
        }

        RegistryPrincipal? principal = null;
        if (user is not null)
        {
            (principal, int? retryAfter) = await credentials.CheckAsync(context, user, secret ?? string.Empty, "token endpoint").ConfigureAwait(false);
            if (retryAfter is { } seconds)
            {
                await ApiResponses.WriteErrorAsync(context, CredentialCheck.TooManyRequests(context, seconds)).ConfigureAwait(false);
                return;
            }

            if (principal is null)
            {
                context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{options.Service}\"";
                await ApiResponses.WriteErrorAsync(context, new RegistryError(401, "UNAUTHORIZED", "incorrect username or password")).ConfigureAwait(false);
                return;
            }
        }

        var access = new List<TokenAccess>();
        foreach (string scope in scopes)
        {
            if (!TokenScope.TryParse(scope, out string type, out string name, out string[] actions))
            {
                continue;
            }

            if (type == "registry" && name == "catalog")
            {
                if (principal?.CanListCatalog == true || !options.RequireAuth)
                {
                    access.Add(new TokenAccess("registry", "catalog", ["*"]));
                }

                continue;
            }

            if (type != "repository")
            {
                continue;
            }

            RegistryActions allowed = Allowed(principal, name) & TokenScope.ParseActions(actions);
            access.Add(new TokenAccess("repository", name, TokenScope.FormatActions(allowed)));
        }

        IssuedToken issued = tokens.Issue(principal?.Name ?? string.Empty, access);
        var body = new TokenResponse(issued.Token, issued.Token, issued.ExpiresInSeconds,
            issued.IssuedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, RegistryJsonContext.Default.TokenResponse, context.RequestAborted).ConfigureAwait(false);
    }

    private RegistryActions Allowed(RegistryPrincipal? principal, string repository)
    {
        if (!options.RequireAuth)
        {
            return RegistryActions.All;
        }

        RegistryActions allowed = principal?.ActionsOn(repository) ?? RegistryActions.None;
        if (RepositoryPatterns.MatchesAny(options.AnonymousPullRepositories, repository))
        {
            allowed |= RegistryActions.Pull;
        }

        return allowed;
    }
}
