using System.Globalization;
using System.Text;

namespace Gantry.Controllers.Swarm;

/// <summary>
/// The pure half of decision 0030 (images by digest on a cluster): which reference a Swarm service names so that every node
/// pulls the same bytes: the repository in Gantry's registry an image only the manager has is pushed to, its tag, the digest
/// reference built from a push, and an image from a registry pinned by the digest the manager resolved.
/// </summary>
public static class ImageReferences
{
    /// <summary>
    /// <c>HOST/TEAM/APP-SERVICE</c> in Gantry's registry at <paramref name="registry"/> (host[:port]): the repository belongs to
    /// the app's team (the registry's grants go by the first path segment). Lower case, and anything a repository name may not
    /// hold becomes a dash, so a compose service called <c>Web_1.api</c> still has a valid name.
    /// </summary>
    public static string Repository(string registry, string team, string app, string service) =>
        $"{registry.TrimEnd('/')}/{Component(team)}/{Component($"{app}-{service}")}";

    /// <summary>The tag a release's image is pushed under: <c>rN</c>, or the image id's first 12 hex digits before a release number exists.</summary>
    public static string Tag(long release, string imageId) =>
        release > 0 ? "r" + release.ToString(CultureInfo.InvariantCulture) : "id-" + Hex(imageId)[..Math.Min(12, Hex(imageId).Length)];

    /// <summary><c>REPOSITORY@sha256:...</c>: what a service names after a push.</summary>
    public static string ByDigest(string repository, string digest) => $"{repository}@{digest}";

    /// <summary>True when <paramref name="reference"/> already names its bytes (<c>...@sha256:...</c>).</summary>
    public static bool IsByDigest(string reference) => reference.Contains("@sha256:", StringComparison.Ordinal);

    /// <summary>
    /// An image from a registry, pinned: <paramref name="reference"/> (kept as the user wrote it, tag included) with the digest of
    /// the entry of <paramref name="repoDigests"/> (the engine's <c>RepoDigests</c>, <c>repo@sha256:...</c>) whose repository is
    /// the reference's; null when none is (the image was loaded or built here, and no registry holds it).
    /// </summary>
    public static string? PinnedByDigest(string reference, IEnumerable<string>? repoDigests)
    {
        if (IsByDigest(reference))
        {
            return reference;
        }
        var repository = Normalize(RepositoryOf(reference));
        foreach (var entry in repoDigests ?? [])
        {
            var at = entry.IndexOf('@', StringComparison.Ordinal);
            if (at > 0 && Normalize(entry[..at]) == repository)
            {
                return $"{reference}{entry[at..]}";
            }
        }
        return null;
    }

    /// <summary>
    /// True when a reference names a registry the other nodes cannot reach: one on the manager's loopback
    /// (<c>127.0.0.1:7070/team/app</c>, <c>localhost:5000/x</c>). Such an image is pushed to Gantry's registry like a local one.
    /// </summary>
    public static bool IsLoopbackRegistry(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }
        var host = reference[..slash];
        if (host.StartsWith('['))
        {
            return host.StartsWith("[::1]", StringComparison.Ordinal);
        }
        var colon = host.IndexOf(':', StringComparison.Ordinal);
        host = colon >= 0 ? host[..colon] : host;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.StartsWith("127.", StringComparison.Ordinal);
    }

    /// <summary>The repository of a reference: without its digest and its tag (a colon after the last slash).</summary>
    public static string RepositoryOf(string reference)
    {
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? reference[..at] : reference;
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    /// <summary>Docker Hub's short names spelled out (<c>busybox</c> is <c>docker.io/library/busybox</c>), as RepoDigests spell them.</summary>
    private static string Normalize(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : repository[..slash];
        var hasRegistry = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost";
        if (hasRegistry)
        {
            return repository;
        }
        return slash < 0 ? "docker.io/library/" + repository : "docker.io/" + repository;
    }

    private static string Component(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value.ToLowerInvariant())
        {
            text.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-');
        }
        var cleaned = text.ToString().Trim('-');
        while (cleaned.Contains("--", StringComparison.Ordinal))
        {
            cleaned = cleaned.Replace("--", "-", StringComparison.Ordinal);
        }
        return cleaned.Length == 0 ? "x" : cleaned;
    }

    private static string Hex(string imageId) => imageId.StartsWith("sha256:", StringComparison.Ordinal) ? imageId[7..] : imageId;
}
