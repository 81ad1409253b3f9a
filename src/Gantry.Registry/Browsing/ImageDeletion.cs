namespace Gantry.Registry.Browsing;

/// <summary>What a delete by tag or digest did: the manifest digest concerned and the tags that went with it.</summary>
public sealed record ImageDeletion(ImageDeletionResult Result, string? Digest, IReadOnlyList<string> Tags)
{
    public static ImageDeletion Invalid { get; } = new(ImageDeletionResult.InvalidReference, null, []);

    public static ImageDeletion NotFound { get; } = new(ImageDeletionResult.NotFound, null, []);
}
