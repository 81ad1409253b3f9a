using Gantry.Model.Releases;

namespace Gantry.Model.Api;

/// <summary>A release as `gantry releases` and `gantry release` show it (`GET /api/v1/apps/{app}/releases[/{n}]`).</summary>
public sealed record ReleaseView(string App, long Number)
{
    /// <summary>deploy, rollback, auto-rollback or push.</summary>
    public string Cause { get; init; } = ReleaseCauses.Deploy;

    public long? RollbackOf { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string CreatedBy { get; init; } = "";

    /// <summary>pending, deploying, live, failed, superseded or rolled-back.</summary>
    public string Phase { get; init; } = ReleasePhases.Pending;

    /// <summary>True for the app's current release.</summary>
    public bool Current { get; init; }

    public DateTimeOffset? LiveAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string? Message { get; init; }

    public string? Reason { get; init; }

    /// <summary>The commit a `git push` deployed (null for uploads).</summary>
    public string? Commit { get; init; }

    /// <summary>The branch that commit was pushed to.</summary>
    public string? Branch { get; init; }

    /// <summary>The commit's author.</summary>
    public string? Author { get; init; }

    /// <summary>The version of each environment secret this release mounts (docs/decisions/0024), never a value; null when none.</summary>
    public IReadOnlyDictionary<string, long>? SecretVersions { get; init; }

    public IReadOnlyList<ReleaseServiceView> Services { get; init; } = [];

    /// <summary>Differences from the previous release (only on `GET .../releases/{n}`); secret-looking values masked.</summary>
    public IReadOnlyList<ReleaseChange>? Changes { get; init; }
}

/// <param name="Image">As written (tag), with <paramref name="ImageId"/> the id it resolved to.</param>
public sealed record ReleaseServiceView(string Name, string? Image, string? ImageId, int Replicas, string Strategy)
{
    /// <summary>On a cluster, what the release's Swarm service named: the image by digest (docs/decisions/0030); null on one engine.</summary>
    public string? ImageDigest { get; init; }
}

/// <summary>`POST /api/v1/apps/{app}/rollback`: to the given release, or to the one before the current one.</summary>
public sealed record RollbackRequest
{
    public long? To { get; init; }

    /// <summary>Instead of <see cref="To"/>: the newest release of this commit (7 to 40 hex digits of a pushed commit).</summary>
    public string? Commit { get; init; }
}

/// <param name="Release">The new release that restores <paramref name="Target"/>.</param>
/// <param name="Warm">True when the target's replicas were still running: the router swaps back without starting anything.</param>
public sealed record RollbackResponse(string App, long Release, long Target, bool Warm, long Generation)
{
    public long EventCursor { get; init; }

    public string? Message { get; init; }
}

/// <summary>What a rollback would do now, before anyone asks for it (the console's confirmation page shows it).</summary>
/// <param name="From">The app's current release.</param>
/// <param name="Target">The release it would restore (as a new release).</param>
/// <param name="Warm">True when the target's replicas are still running: the router swaps back without starting anything.</param>
public sealed record RollbackPreview(string App, long From, long Target, bool Warm)
{
    public string? Message { get; init; }
}
