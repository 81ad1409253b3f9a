namespace Gantry.Registry;

/// <summary>Repositories, tags, manifests and their references; blob bytes are not here. The default keeps it in SQLite under RootDirectory.</summary>
public interface IRegistryMetadataStore
{
    ValueTask<bool> RepositoryExistsAsync(string repository, CancellationToken ct);

    /// <summary>Records that a repository holds a blob (after an upload or a mount); creates the repository.</summary>
    ValueTask LinkBlobAsync(string repository, string digest, CancellationToken ct);

    ValueTask<bool> IsBlobLinkedAsync(string repository, string digest, CancellationToken ct);

    /// <summary>Removes the repository's link to a blob; true when there was one.</summary>
    ValueTask<bool> UnlinkBlobAsync(string repository, string digest, CancellationToken ct);

    /// <summary>Stores a manifest with the digests it references and optionally points a tag at it, all at once.</summary>
    ValueTask PutManifestAsync(ManifestRecord manifest, IReadOnlyList<string> references, string? tag, CancellationToken ct);

    ValueTask<ManifestRecord?> GetManifestAsync(string repository, string digest, CancellationToken ct);

    ValueTask<string?> ResolveTagAsync(string repository, string tag, CancellationToken ct);

    /// <summary>Tags in lexical order after <paramref name="last"/>, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<string>> ListTagsAsync(string repository, string? last, int limit, CancellationToken ct);

    ValueTask<IReadOnlyList<TagRecord>> ListTagRecordsAsync(string repository, CancellationToken ct);

    ValueTask<IReadOnlyList<string>> ListRepositoriesAsync(string? last, int limit, CancellationToken ct);

    ValueTask<bool> DeleteTagAsync(string repository, string tag, CancellationToken ct);

    /// <summary>Deletes a manifest and every tag pointing at it; returns the removed tags, or null when the manifest was not there.</summary>
    ValueTask<IReadOnlyList<string>?> DeleteManifestAsync(string repository, string digest, CancellationToken ct);

    /// <summary>True when another manifest in the repository lists this one (an index's child).</summary>
    ValueTask<bool> IsManifestReferencedAsync(string repository, string digest, CancellationToken ct);

    ValueTask<IReadOnlyList<ManifestRecord>> ListReferrersAsync(string repository, string subjectDigest, CancellationToken ct);

    /// <summary>Every digest some manifest needs (the manifests themselves and what they reference), across repositories.</summary>
    ValueTask<IReadOnlySet<string>> ListReferencedDigestsAsync(CancellationToken ct);

    ValueTask<bool> IsDigestReferencedAsync(string digest, CancellationToken ct);

    /// <summary>Drops every repository link to a blob the garbage collector removed.</summary>
    ValueTask RemoveBlobLinksAsync(string digest, CancellationToken ct);

    /// <summary>The digests a manifest references (its config and layers, or an index's manifests), in order.</summary>
    ValueTask<IReadOnlyList<string>> ListManifestReferencesAsync(string repository, string digest, CancellationToken ct);

    /// <summary>Retention rules set at run time (`gantry registry retention set`), applied with the configured ones.</summary>
    ValueTask<IReadOnlyList<RetentionPolicy>> ListRetentionPoliciesAsync(CancellationToken ct);

    /// <summary>Adds or replaces the rule for its pattern.</summary>
    ValueTask PutRetentionPolicyAsync(RetentionPolicy policy, CancellationToken ct);

    /// <summary>Removes the rule for a pattern; true when there was one.</summary>
    ValueTask<bool> DeleteRetentionPolicyAsync(string pattern, CancellationToken ct);

    /// <summary>Every manifest stored in the repository, tagged or not.</summary>
    ValueTask<IReadOnlyList<ManifestRecord>> ListManifestsAsync(string repository, CancellationToken ct);

    /// <summary>Every manifest that is this digest or references it, as (repository, manifest digest): what keeps a blob.</summary>
    ValueTask<IReadOnlyList<(string Repository, string Manifest)>> ListDigestHoldersAsync(string digest, CancellationToken ct);

    /// <summary>The newest kept garbage-collection runs, newest first.</summary>
    ValueTask<IReadOnlyList<Gc.GarbageCollectionRun>> ListGcRunsAsync(int limit, CancellationToken ct);

    /// <summary>Keeps a finished run (by its id) and forgets all but the newest <paramref name="keep"/>.</summary>
    ValueTask AddGcRunAsync(Gc.GarbageCollectionRun run, int keep, CancellationToken ct);
}
