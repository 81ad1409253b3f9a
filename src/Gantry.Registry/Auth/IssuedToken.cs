namespace Gantry.Registry.Auth;

/// <summary>A signed token and its lifetime, as returned by the token endpoint.</summary>
public sealed record IssuedToken(string Token, int ExpiresInSeconds, DateTimeOffset IssuedAt);
