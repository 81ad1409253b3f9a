using Gantry.Registry.Content;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Auth;

/// <summary>
/// Decides whether a /v2 request may proceed: bearer tokens from the token endpoint, Basic credentials checked
/// directly (for simple clients), or anonymous pull on repositories configured for it. Anything else gets the
/// challenge that sends docker to the token endpoint.
/// </summary>
public sealed class RequestAuthorizer(RegistryOptions options, RegistryTokenService tokens, CredentialCheck credentials)
{
    /// <param name="repository">Repository the request touches; null for /v2/ and the catalog.</param>
    /// <param name="needed">Actions needed; None means only "authenticated" (the /v2/ version check).</param>
    public async ValueTask<AuthorizationResult> AuthorizeAsync(HttpContext context, string? repository, RegistryActions needed, bool catalog)
    {
        if (!options.RequireAuth)
        {
            return AuthorizationResult.Allow(null);
        }

        string? header = context.Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            TokenClaims? claims = await tokens.ValidateAsync(header[7..].Trim()).ConfigureAwait(false);
            if (claims is null)
            {
                return Challenge(context, repository, needed, catalog, "invalid_token", "the bearer token is invalid or expired; log in again");
            }

            bool ok = catalog ? claims.GrantsCatalog
                : repository is null || (claims.ActionsOn(repository) & needed) == needed;
            return ok ? AuthorizationResult.Allow(claims.Subject)
                : Challenge(context, repository, needed, catalog, "insufficient_scope", $"the token does not grant {Describe(needed, catalog)}{On(repository)}");
        }

        if (BasicCredentials.TryParse(header, out string user, out string secret))
        {
            (RegistryPrincipal? principal, int? retryAfter) = await credentials.CheckAsync(context, user, secret, "basic auth").ConfigureAwait(false);
            if (retryAfter is { } seconds)
            {
                return new AuthorizationResult(false, null, CredentialCheck.TooManyRequests(context, seconds), null);
            }

            if (principal is null)
            {
                return Challenge(context, repository, needed, catalog, null, "incorrect username or password");
            }

            bool ok = catalog ? principal.CanListCatalog
                : repository is null || (principal.ActionsOn(repository) & needed) == needed;
            return ok ? AuthorizationResult.Allow(principal.Name)
                : new AuthorizationResult(false, principal.Name, new RegistryError(403, "DENIED", $"user '{principal.Name}' may not {Describe(needed, catalog)}{On(repository)}"), null);
        }

        if (repository is not null && needed == RegistryActions.Pull && RepositoryPatterns.MatchesAny(options.AnonymousPullRepositories, repository))
        {
            return AuthorizationResult.Allow(null);
        }

        return Challenge(context, repository, needed, catalog, null, "authentication required; run 'docker login' for this registry");
    }

    private static string Describe(RegistryActions needed, bool catalog) =>
        catalog ? "list the catalog" : needed == RegistryActions.None ? "access the registry" : string.Join(",", TokenScope.FormatActions(needed));

    private static string On(string? repository) => repository is null ? string.Empty : $" on repository '{repository}'";

    private AuthorizationResult Challenge(HttpContext context, string? repository, RegistryActions needed, bool catalog, string? error, string message)
    {
        string realm = RealmFor(context);
        string challenge = $"Bearer realm=\"{realm}\",service=\"{options.Service}\"";
        if (catalog)
        {
            challenge += ",scope=\"registry:catalog:*\"";
        }
        else if (repository is not null && needed != RegistryActions.None)
        {
            // Docker asks for pull together with push; asking for both keeps one token good for the whole push.
            RegistryActions scope = needed.HasFlag(RegistryActions.Push) ? needed | RegistryActions.Pull : needed;
            challenge += $",scope=\"repository:{repository}:{string.Join(",", TokenScope.FormatActions(scope))}\"";
        }

        if (error is not null)
        {
            challenge += $",error=\"{error}\"";
        }

        return new AuthorizationResult(false, null, new RegistryError(401, "UNAUTHORIZED", message), challenge);
    }

    public string RealmFor(HttpContext context) =>
        options.Realm ?? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/v2/token";
}
