namespace Gantry.Registry.Browsing;

/// <summary>
/// A tag with its manifest: digest, media type, the image's size (the manifest, its config and layers; an index adds its
/// platforms' images, a layer they share counted once), and who moved the tag there when.
/// </summary>
public sealed record ImageTag(string Tag, string Digest, string MediaType, long Size, DateTimeOffset PushedAt, string? PushedBy);
