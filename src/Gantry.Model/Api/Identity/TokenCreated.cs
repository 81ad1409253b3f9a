namespace Gantry.Model.Api.Identity;

/// <summary>A new token with its secret, which the server shows this once and keeps only as a hash.</summary>
public sealed record TokenCreated(TokenView Token, string Secret);
