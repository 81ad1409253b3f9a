namespace Gantry.Registry.Browsing;

/// <summary>How a delete by tag or digest ended; the HTTP handlers and the server's API turn it into their own answers.</summary>
public enum ImageDeletionResult
{
    /// <summary>The tag (only the tag) or the manifest (with every tag on it) is gone; blobs wait for the collector.</summary>
    Deleted,

    /// <summary>No such tag or manifest in the repository.</summary>
    NotFound,

    /// <summary>The reference looks like a digest but is not a valid sha256 or sha512 one.</summary>
    InvalidReference,
}
