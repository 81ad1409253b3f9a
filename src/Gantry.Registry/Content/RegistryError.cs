namespace Gantry.Registry.Content;

/// <summary>An OCI distribution error: HTTP status, spec code, a message that says what to fix, and optional detail.</summary>
public sealed record RegistryError(int Status, string Code, string Message, string? Detail = null)
{
    public static RegistryError BlobUnknown(string digest) => new(404, "BLOB_UNKNOWN", $"blob {digest} is not known to this repository");

    public static RegistryError UploadUnknown(string id) => new(404, "BLOB_UPLOAD_UNKNOWN", $"upload session '{id}' does not exist (finished, cancelled or expired); start a new one with POST");

    public static RegistryError UploadInvalid(string message) => new(400, "BLOB_UPLOAD_INVALID", message);

    public static RegistryError DigestInvalid(string message) => new(400, "DIGEST_INVALID", message);

    public static RegistryError ManifestUnknown(string reference) => new(404, "MANIFEST_UNKNOWN", $"manifest '{reference}' is not known to this repository");

    public static RegistryError NameUnknown(string name) => new(404, "NAME_UNKNOWN", $"repository '{name}' is not known to this registry");

    public static RegistryError RangeInvalid(string message) => new(416, "RANGE_INVALID", message);

    public static RegistryError SizeInvalid(string message) => new(400, "SIZE_INVALID", message);

    public static RegistryError Unsupported(string message) => new(405, "UNSUPPORTED", message);

    public static RegistryError StorageFull() => new(507, "UNKNOWN", "the registry's storage is full; nothing was stored. Free disk space on the registry host (or run garbage collection) and retry the push");
}
