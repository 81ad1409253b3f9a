using Gantry.Model.Api.Identity;

namespace Gantry.Server.Identity;

/// <summary>A sign-in's result: the issued token, or how long the caller is locked out, or neither (wrong name or password).</summary>
public sealed record PasswordSignInResult(TokenCreated? Token, TimeSpan? RetryAfter);
