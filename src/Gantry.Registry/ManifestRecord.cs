namespace Gantry.Registry;

/// <summary>A manifest stored in a repository, with who last pushed it; the body itself lives in the blob store under its digest.</summary>
public sealed record ManifestRecord(
    string Repository,
    string Digest,
    string MediaType,
    long Size,
    string? ArtifactType,
    string? SubjectDigest,
    string? AnnotationsJson,
    DateTimeOffset PushedAt,
    string? PushedBy = null);
