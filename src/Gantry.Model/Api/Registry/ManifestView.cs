namespace Gantry.Model.Api.Registry;

/// <summary>A manifest no tag names (left by a tag delete or a push by digest): pullable by digest until it is deleted, with its size and pusher.</summary>
public sealed record ManifestView(string Digest, string MediaType, long Size, DateTimeOffset PushedAt, string? PushedBy);
