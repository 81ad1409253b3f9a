namespace Gantry.Registry.Api;

/// <summary>The distribution API resources a /v2 path can name.</summary>
public enum RegistryRouteKind
{
    Unknown,
    Base,
    Catalog,
    Tags,
    Manifest,
    Blob,
    UploadStart,
    Upload,
    Referrers,
}
