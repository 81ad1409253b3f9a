namespace Gantry.Registry.Content;

/// <summary>Either a parsed manifest or the reason it was refused (an OCI error code and a message that names the field).</summary>
public sealed record ManifestParseResult(ParsedManifest? Manifest, string? ErrorCode, string? ErrorMessage)
{
    public static ManifestParseResult Ok(ParsedManifest manifest) => new(manifest, null, null);

    public static ManifestParseResult Fail(string code, string message) => new(null, code, message);
}
