using Gantry.Registry.Api;
using Gantry.Registry.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Registry;

/// <summary>Maps the OCI distribution API under /v2 and the token endpoint at /v2/token.</summary>
public static class RegistryEndpointRouteBuilderExtensions
{
    private static readonly string[] TokenMethods = ["GET", "POST"];
    private static readonly string[] ApiMethods = ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE"];

    public static IEndpointConventionBuilder MapGantryRegistry(this IEndpointRouteBuilder endpoints)
    {
        RegistryDispatcher dispatcher = endpoints.ServiceProvider.GetRequiredService<RegistryDispatcher>();
        TokenEndpoint token = endpoints.ServiceProvider.GetRequiredService<TokenEndpoint>();
        RouteGroupBuilder group = endpoints.MapGroup("/v2");
        // The literal /v2/token outranks the catch-all, so a repository named "token" still works (its paths are longer).
        group.MapMethods("/token", TokenMethods, token.HandleAsync);
        group.MapMethods("/", ApiMethods, dispatcher.HandleAsync);
        group.MapMethods("/{**path}", ApiMethods, dispatcher.HandleAsync);
        return group;
    }
}
