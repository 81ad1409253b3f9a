namespace Gantry.Model.Releases;

/// <summary>
/// One immutable, numbered release of an app (the store's "Release" kind, named `{app}.{number}`): the whole
/// desired state as deployed (images pinned to ids where known), who made it, when and why.
/// </summary>
public sealed record ReleaseRecord
{
    public required string App { get; init; }

    public required long Number { get; init; }

    /// <summary>The app's desired state as this release (its <see cref="AppSpec.Release"/> is <see cref="Number"/>).</summary>
    public required AppSpec Spec { get; init; }

    /// <summary>deploy, rollback, auto-rollback or push (a redeploy-on-push).</summary>
    public string Cause { get; init; } = ReleaseCauses.Deploy;

    /// <summary>For rollbacks: the release whose state this one restores.</summary>
    public long? RollbackOf { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string CreatedBy { get; init; } = "admin";

    /// <summary>Why it was made, in words (the automatic rollback's verdict, for example).</summary>
    public string? Message { get; init; }

    /// <summary>
    /// The commit a `git push` deployed (a rollback keeps the restored release's); null for uploads. Outside the spec, so no
    /// service's spec hash sees it, and left out of the JSON when null: releases stored before it read the same.
    /// </summary>
    public ReleaseSource? Source { get; init; }

    public static string NameOf(string app, long number) => $"{app}.{number}";
}

public static class ReleaseCauses
{
    public const string Deploy = "deploy";
    public const string Rollback = "rollback";
    public const string AutoRollback = "auto-rollback";
    public const string Push = "push";

    /// <summary>A `git push` to the app's repository on the server (docs/decisions/0018).</summary>
    public const string GitPush = "git-push";
}

/// <summary>Where a release's files came from: the commit a `git push` deployed.</summary>
/// <param name="Commit">The full object name (40 hex digits).</param>
/// <param name="Branch">The branch pushed (main or master).</param>
/// <param name="Author">The commit's author, "Name <email>".</param>
public sealed record ReleaseSource(string Commit, string Branch, string Author)
{
    /// <summary>The first 12 digits, as image tags and listings show it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ShortCommit => Commit.Length > 12 ? Commit[..12] : Commit;
}

/// <summary>What happened to a release after it was made (the store status of a "Release" resource).</summary>
public sealed record ReleaseState
{
    /// <summary>pending, deploying, live, failed, superseded or rolled-back.</summary>
    public string Phase { get; init; } = ReleasePhases.Pending;

    /// <summary>Image ids by service, as the controller resolved (or built) them.</summary>
    public IReadOnlyDictionary<string, string> ImageIds { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// On a cluster, what each service's Swarm service named: the image by digest (<c>host/team/app-service@sha256:...</c> in
    /// Gantry's registry, or the registry's own reference pinned by digest), so a rollback pulls exactly these bytes on every
    /// node (docs/decisions/0030). Empty on a single engine, where <see cref="ImageIds"/> says it all.
    /// </summary>
    public IReadOnlyDictionary<string, string> ImageDigests { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public DateTimeOffset? LiveAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Why it failed or was rolled back.</summary>
    public string? Reason { get; init; }
}

public static class ReleasePhases
{
    public const string Pending = "pending";
    public const string Deploying = "deploying";
    public const string Live = "live";
    public const string Failed = "failed";
    public const string Superseded = "superseded";
    public const string RolledBack = "rolled-back";
}

/// <summary>One difference between two releases; secret-looking values are masked.</summary>
/// <param name="Path">Where, as in the compose file: `services.web.environment.LOG_LEVEL`, `services.web.image`.</param>
public sealed record ReleaseChange(string Path, string? Before, string? After);
