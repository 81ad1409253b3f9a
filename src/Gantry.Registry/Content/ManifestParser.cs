using System.Text.Json;

namespace Gantry.Registry.Content;

/// <summary>Pure parser that validates a manifest body against the media types this registry accepts.</summary>
public static class ManifestParser
{
    /// <summary>Manifests above this size are refused; the spec recommends registries accept at least 4 MiB.</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    public static ManifestParseResult Parse(ReadOnlyMemory<byte> body, string? contentType)
    {
        string? headerType = NormalizeContentType(contentType);
        if (headerType is MediaTypes.DockerSchema1 or MediaTypes.DockerSchema1Signed)
        {
            return Schema1Refused();
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return ManifestParseResult.Fail("MANIFEST_INVALID", $"manifest body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ManifestParseResult.Fail("MANIFEST_INVALID", "manifest body must be a JSON object");
            }

            if (root.TryGetProperty("schemaVersion", out JsonElement version) && version.ValueKind == JsonValueKind.Number
                && version.TryGetInt32(out int schemaVersion) && schemaVersion == 1)
            {
                return Schema1Refused();
            }

            string? bodyType = root.TryGetProperty("mediaType", out JsonElement mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
            if (bodyType is MediaTypes.DockerSchema1 or MediaTypes.DockerSchema1Signed)
            {
                return Schema1Refused();
            }

            if (bodyType is not null && headerType is not null && bodyType != headerType)
            {
                return ManifestParseResult.Fail("MANIFEST_INVALID",
                    $"the Content-Type header '{headerType}' does not match the manifest's mediaType field '{bodyType}'; send the same type in both");
            }

            string? mediaType = bodyType ?? headerType;
            if (mediaType is null || mediaType == "application/json")
            {
                mediaType = root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
            }

            if (!MediaTypes.IsSupported(mediaType))
            {
                return ManifestParseResult.Fail("MANIFEST_INVALID",
                    $"manifest media type '{mediaType}' is not supported; use {MediaTypes.OciManifest}, {MediaTypes.OciIndex}, {MediaTypes.DockerManifest} or {MediaTypes.DockerManifestList}");
            }

            return MediaTypes.IsIndex(mediaType) ? ParseIndex(root, mediaType) : ParseImage(root, mediaType);
        }
    }

    private static ManifestParseResult Schema1Refused() => ManifestParseResult.Fail("MANIFEST_INVALID",
        "Docker schema 1 manifests are not supported; push with Docker 1.10 or later, or convert with 'skopeo copy --format v2s2'");

    private static ManifestParseResult ParseImage(JsonElement root, string mediaType)
    {
        if (!root.TryGetProperty("config", out JsonElement config) || config.ValueKind != JsonValueKind.Object)
        {
            return ManifestParseResult.Fail("MANIFEST_INVALID", "image manifest is missing its 'config' descriptor");
        }

        var blobs = new List<string>();
        string? error = AddDescriptor(config, "config", blobs);
        if (error is not null)
        {
            return ManifestParseResult.Fail("MANIFEST_INVALID", error);
        }

        if (root.TryGetProperty("layers", out JsonElement layers))
        {
            if (layers.ValueKind != JsonValueKind.Array)
            {
                return ManifestParseResult.Fail("MANIFEST_INVALID", "'layers' must be an array of descriptors");
            }

            int i = 0;
            foreach (JsonElement layer in layers.EnumerateArray())
            {
                error = AddDescriptor(layer, $"layers[{i++}]", blobs);
                if (error is not null)
                {
                    return ManifestParseResult.Fail("MANIFEST_INVALID", error);
                }
            }
        }

        string? artifactType = GetString(root, "artifactType");
        if (artifactType is null && config.TryGetProperty("mediaType", out JsonElement cmt) && cmt.ValueKind == JsonValueKind.String)
        {
            artifactType = cmt.GetString();
        }

        return Finish(root, mediaType, artifactType, blobs, []);
    }

    private static ManifestParseResult ParseIndex(JsonElement root, string mediaType)
    {
        if (!root.TryGetProperty("manifests", out JsonElement manifests) || manifests.ValueKind != JsonValueKind.Array)
        {
            return ManifestParseResult.Fail("MANIFEST_INVALID", "index is missing its 'manifests' array");
        }

        var children = new List<string>();
        int i = 0;
        foreach (JsonElement child in manifests.EnumerateArray())
        {
            string? error = AddDescriptor(child, $"manifests[{i++}]", children);
            if (error is not null)
            {
                return ManifestParseResult.Fail("MANIFEST_INVALID", error);
            }
        }

        return Finish(root, mediaType, GetString(root, "artifactType"), [], children);
    }

    private static ManifestParseResult Finish(JsonElement root, string mediaType, string? artifactType, List<string> blobs, List<string> manifests)
    {
        string? subject = null;
        if (root.TryGetProperty("subject", out JsonElement subjectElement))
        {
            string? digest = subjectElement.ValueKind == JsonValueKind.Object ? GetString(subjectElement, "digest") : null;
            if (!Digest.TryParse(digest, out _))
            {
                return ManifestParseResult.Fail("MANIFEST_INVALID", "'subject.digest' is missing or not a valid sha256/sha512 digest");
            }

            subject = digest;
        }

        string? annotations = root.TryGetProperty("annotations", out JsonElement a) && a.ValueKind == JsonValueKind.Object ? a.GetRawText() : null;
        return ManifestParseResult.Ok(new ParsedManifest(mediaType, artifactType, subject, annotations, blobs, manifests));
    }

    /// <summary>Adds the descriptor's digest to the list unless it points outside the registry (foreign layers with urls).</summary>
    private static string? AddDescriptor(JsonElement descriptor, string field, List<string> digests)
    {
        if (descriptor.ValueKind != JsonValueKind.Object)
        {
            return $"'{field}' must be a descriptor object";
        }

        string? digest = GetString(descriptor, "digest");
        if (!Digest.TryParse(digest, out _))
        {
            return $"'{field}.digest' is missing or not a valid sha256/sha512 digest (got '{digest}')";
        }

        if (!descriptor.TryGetProperty("size", out JsonElement size) || size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out long s) || s < 0)
        {
            return $"'{field}.size' must be a non-negative integer";
        }

        if (!descriptor.TryGetProperty("urls", out _))
        {
            digests.Add(digest!);
        }

        return null;
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? NormalizeContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        int semi = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semi >= 0 ? contentType[..semi] : contentType).Trim();
    }
}
