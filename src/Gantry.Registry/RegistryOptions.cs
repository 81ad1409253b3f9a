namespace Gantry.Registry;

/// <summary>Configuration of the built-in OCI registry: where it stores content, how it authenticates, and how it cleans up.</summary>
public sealed record RegistryOptions
{
    /// <summary>Directory holding blobs/, uploads/ and the metadata database; created when missing.</summary>
    public required string RootDirectory { get; init; }

    /// <summary>Upper bound, in bytes, of manifest bodies kept in memory for hot pulls.</summary>
    public long ManifestCacheBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long an unreferenced blob (or an idle upload session) survives before garbage collection may delete it.</summary>
    public TimeSpan UploadGracePeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Absolute URL of the token endpoint put in challenges; when null it is derived from the request (scheme://host/v2/token).</summary>
    public string? Realm { get; init; }

    /// <summary>The service name in challenges and the audience of issued tokens.</summary>
    public string Service { get; init; } = "gantry";

    /// <summary>HMAC-SHA256 key that signs tokens, at least 32 bytes (HS256 refuses shorter keys); when null a random key is made per process (tokens then die with it).</summary>
    public byte[]? TokenSigningKey { get; init; }

    /// <summary>How long an issued bearer token is valid.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>When false every request is allowed anonymously (benchmarks, trusted loopback use).</summary>
    public bool RequireAuth { get; init; } = true;

    /// <summary>Repository patterns (exact names or with '*' wildcards such as "public/*" or "*/base") that anyone may pull without credentials.</summary>
    public IReadOnlyList<string> AnonymousPullRepositories { get; init; } = [];

    /// <summary>Per-repository retention rules applied by the garbage collector.</summary>
    public IReadOnlyList<RetentionPolicy> RetentionPolicies { get; init; } = [];

    /// <summary>How often the background sweep runs; Zero or negative turns the background sweep off (it can still be run on demand).</summary>
    public TimeSpan GarbageCollectionInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Webhook receivers for push and delete events.</summary>
    public IReadOnlyList<WebhookOptions> Webhooks { get; init; } = [];

    /// <summary>Events waiting for delivery beyond this count are dropped (oldest first) and logged.</summary>
    public int EventQueueCapacity { get; init; } = 1024;
}
