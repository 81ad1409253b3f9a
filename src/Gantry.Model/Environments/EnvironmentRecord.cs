namespace Gantry.Model.Environments;

/// <summary>
/// One environment of an app (the store's "Environment" kind, named by its instance, the stored app it runs as): its own
/// variables and sealed secrets. Releases, replicas, hosts and counts are the instance's, as for any app.
/// </summary>
public sealed record EnvironmentRecord
{
    public required string App { get; init; }

    public required string Name { get; init; }

    /// <summary>
    /// The team that set the environment up before anything was deployed to it (its instance's team decides once it exists);
    /// null when unknown. Keeps another team from preparing settings under a name that is not theirs.
    /// </summary>
    public string? Team { get; init; }

    /// <summary>Variables the compose files are interpolated with when this environment deploys (they win over the caller's shell).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Every version of every secret, sealed (AES-GCM); the newest is the one a deploy takes.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SecretVersion>> Secrets { get; init; } = new SortedDictionary<string, IReadOnlyList<SecretVersion>>(StringComparer.Ordinal);

    /// <summary>Set for a branch's preview environment (made by a push of a branch that is not the deploy branch).</summary>
    public PreviewSpec? Preview { get; init; }

    /// <summary>What follows a release going live here: promotion to another environment, automatic or on approval; null for none.</summary>
    public PromotionGate? Gate { get; init; }

    public const string Kind = "Environment";

    [System.Text.Json.Serialization.JsonIgnore]
    public string Instance => EnvironmentNames.InstanceOf(App, Name);
}

/// <summary>One value a secret had: its number, when and by whom it was set, and the value sealed under a key of the key ring.</summary>
/// <param name="Sealed">`KEYID:NONCE:CIPHERTEXT:TAG`, each part base64 (Environments/SecretBox in the server).</param>
public sealed record SecretVersion(long Version, DateTimeOffset CreatedAt, string CreatedBy, string Sealed);
