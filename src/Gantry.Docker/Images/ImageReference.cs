namespace Gantry.Docker.Images;

/// <summary>Small helpers for image references (<c>registry:5000/team/app:tag</c>, <c>app@sha256:...</c>).</summary>
public static class ImageReference
{
    /// <summary>True when the reference names a tag or a digest (a colon after the last slash, or an @).</summary>
    public static bool HasTagOrDigest(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        if (reference.Contains('@', StringComparison.Ordinal))
        {
            return true;
        }

        var lastSlash = reference.LastIndexOf('/');
        return reference.IndexOf(':', lastSlash + 1) >= 0;
    }

    /// <summary>
    /// The tag to send with a pull: the caller's, else none when the reference carries one, else <c>latest</c>
    /// (an empty tag would make the daemon pull every tag of the repository).
    /// </summary>
    public static string? PullTag(string reference, string? tag) =>
        tag ?? (HasTagOrDigest(reference) ? null : "latest");
}
