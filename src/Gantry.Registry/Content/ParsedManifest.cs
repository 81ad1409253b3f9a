namespace Gantry.Registry.Content;

/// <summary>What the registry needs to know about a pushed manifest: its type, what it references, and its subject.</summary>
public sealed record ParsedManifest(
    string MediaType,
    string? ArtifactType,
    string? SubjectDigest,
    string? AnnotationsJson,
    IReadOnlyList<string> BlobDigests,
    IReadOnlyList<string> ManifestDigests);
