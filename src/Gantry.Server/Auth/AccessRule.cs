using Gantry.Model.Api.Identity;
using Microsoft.AspNetCore.Builder;

namespace Gantry.Server.Auth;

/// <summary>Endpoint metadata naming who may call it; read by <see cref="AccessMiddleware"/> after routing.</summary>
public sealed record AccessRule(AccessKind Kind, Role Role = Role.Viewer);

/// <summary>The one-word forms the endpoint maps use (`.Access(AccessKind.App, Role.Deployer)`).</summary>
public static class AccessRuleExtensions
{
    public static TBuilder Access<TBuilder>(this TBuilder builder, AccessKind kind, Role role = Role.Viewer)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRule(kind, role));
}
