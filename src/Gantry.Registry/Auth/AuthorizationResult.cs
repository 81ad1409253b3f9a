using Gantry.Registry.Content;

namespace Gantry.Registry.Auth;

/// <summary>Outcome of checking a request: allowed (with the actor for events) or an error plus the challenge to send.</summary>
public readonly record struct AuthorizationResult(bool Allowed, string? Actor, RegistryError? Error, string? Challenge)
{
    public static AuthorizationResult Allow(string? actor) => new(true, actor, null, null);
}
