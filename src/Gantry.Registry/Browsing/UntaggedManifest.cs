namespace Gantry.Registry.Browsing;

/// <summary>
/// A manifest no tag names and no index lists (left by a tag delete or a push by digest): still pullable by digest and
/// kept until someone deletes it, so a listing shows it with its size and pusher.
/// </summary>
public sealed record UntaggedManifest(string Digest, string MediaType, long Size, DateTimeOffset PushedAt, string? PushedBy);
