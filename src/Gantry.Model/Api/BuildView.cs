namespace Gantry.Model.Api;

/// <summary>One build of a pushed commit as `gantry builds` and `gantry build` show it (`GET /api/v1/apps/{app}/builds[/{n}]`).</summary>
public sealed record BuildView(string App, long Number)
{
    /// <summary>queued, running, succeeded, failed or cancelled (<see cref="BuildStates"/>).</summary>
    public string State { get; init; } = BuildStates.Queued;

    /// <summary>While queued: how many builds run or wait before this one (1 = next); null otherwise.</summary>
    public int? Position { get; init; }

    public string Commit { get; init; } = "";

    public string? Branch { get; init; }

    public string? Author { get; init; }

    /// <summary>Who pushed (the Gantry user or token's user).</summary>
    public string PushedBy { get; init; } = "";

    /// <summary>The instance the build deploys to (`APP` or `APP-ENV`).</summary>
    public string? Deploys { get; init; }

    public DateTimeOffset QueuedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The built image id of each service.</summary>
    public IReadOnlyDictionary<string, string> Images { get; init; } = new Dictionary<string, string>();

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Message { get; init; }

    /// <summary>Bytes of log kept.</summary>
    public long LogBytes { get; init; }
}

/// <summary>The states of a build; a finished one (succeeded, failed, cancelled) never changes again.</summary>
public static class BuildStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinished(string state) => state is Succeeded or Failed or Cancelled;
}
