namespace Gantry.Registry.Api;

/// <summary>
/// A parsed /v2 path. Repository names contain slashes, so the path is read from its end: the last one or two
/// segments say which resource it is and everything before them is the name.
/// </summary>
public readonly record struct RegistryRoute(RegistryRouteKind Kind, string Name, string Reference)
{
    /// <summary>Parses the part after "/v2/" (for example "team/app/manifests/latest").</summary>
    public static RegistryRoute Parse(string path)
    {
        if (path.Length == 0)
        {
            return new(RegistryRouteKind.Base, string.Empty, string.Empty);
        }

        if (path is "_catalog" or "_catalog/")
        {
            return new(RegistryRouteKind.Catalog, string.Empty, string.Empty);
        }

        if (path.EndsWith("/tags/list", StringComparison.Ordinal))
        {
            return new(RegistryRouteKind.Tags, path[..^"/tags/list".Length], string.Empty);
        }

        int lastSlash = path.LastIndexOf('/');
        if (lastSlash <= 0)
        {
            return default;
        }

        string last = path[(lastSlash + 1)..];
        string head = path[..lastSlash];
        int prevSlash = head.LastIndexOf('/');
        if (prevSlash <= 0)
        {
            return default;
        }

        string kindSegment = head[(prevSlash + 1)..];
        string name = head[..prevSlash];
        switch (kindSegment)
        {
            case "manifests":
                return new(RegistryRouteKind.Manifest, name, last);
            case "referrers":
                return new(RegistryRouteKind.Referrers, name, last);
            case "blobs":
                return last == "uploads" ? new(RegistryRouteKind.UploadStart, name, string.Empty) : new(RegistryRouteKind.Blob, name, last);
            case "uploads":
                int blobsSlash = name.LastIndexOf('/');
                if (blobsSlash > 0 && name[(blobsSlash + 1)..] == "blobs")
                {
                    string repository = name[..blobsSlash];
                    return last.Length == 0 ? new(RegistryRouteKind.UploadStart, repository, string.Empty) : new(RegistryRouteKind.Upload, repository, last);
                }

                return default;
            default:
                return default;
        }
    }
}
