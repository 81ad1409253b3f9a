using Gantry.Model.Api;

namespace Gantry.Cli.Api;

/// <summary>
/// The Gantry REST API as the verbs use it. Every failure surfaces as a <see cref="CliException"/>
/// carrying the right exit code, so commands never see HTTP status codes or socket errors.
/// </summary>
public interface IGantryApi
{
    /// <summary>The server this client talks to, for messages.</summary>
    string Server { get; }

    Task<IReadOnlyList<AppSummary>> ListAppsAsync(CancellationToken cancellationToken);

    /// <summary>Uploads the request and the bundle (written by <paramref name="writeBundle"/> straight into the request body).</summary>
    Task<DeployResponse> DeployAsync(string app, DeployRequest request, Func<Stream, CancellationToken, Task> writeBundle, CancellationToken cancellationToken);

    /// <summary>The app, or null when the server answers 404.</summary>
    Task<AppDetail?> FindAppAsync(string app, CancellationToken cancellationToken);

    Task DeleteAppAsync(string app, CancellationToken cancellationToken);

    Task<DeployResponse> ScaleAsync(string app, ScaleRequest request, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReplicaView>> ListReplicasAsync(string app, CancellationToken cancellationToken);

    Task<IReadOnlyList<EventView>> ListEventsAsync(string app, long after, int? limit, CancellationToken cancellationToken);

    /// <summary>Events after <paramref name="after"/>, then new ones as they happen, until cancelled or the server closes.</summary>
    IAsyncEnumerable<EventView> FollowEventsAsync(string app, long after, CancellationToken cancellationToken);

    /// <summary>The app's kept log lines (<paramref name="filter"/> narrows them), then with <paramref name="follow"/> new ones until cancelled.</summary>
    IAsyncEnumerable<LogLine> StreamLogsAsync(string app, string? service, bool follow, int? tail, LogsFilter filter, CancellationToken cancellationToken);

    // Default bodies keep existing test doubles compiling; GantryApiClient implements both.

    /// <summary>The app's <paramref name="slowest"/> slowest recent requests (slowest first), or else its newest <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<RequestView>> ListRequestsAsync(string app, int? slowest, int? limit, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not list requests");

    /// <summary>Every route of the current table with its traffic counters and latency.</summary>
    Task<IReadOnlyList<RouteStatsView>> ListRouteStatsAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not list route stats");

    /// <summary>The app's releases, newest first, without their changes.</summary>
    Task<IReadOnlyList<ReleaseView>> ListReleasesAsync(string app, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not list releases");

    /// <summary>One release with its changes from the previous one (secret values masked by the server).</summary>
    Task<ReleaseView> GetReleaseAsync(string app, long number, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not show releases");

    /// <summary>The app's kept builds of pushed commits, newest first (a queued one with its position).</summary>
    Task<IReadOnlyList<BuildView>> ListBuildsAsync(string app, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not list builds");

    /// <summary>One build's record.</summary>
    Task<BuildView> GetBuildAsync(string app, long number, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not show builds");

    /// <summary>Copies a build's kept log to <paramref name="output"/>; with <paramref name="follow"/>, until the build ends.</summary>
    Task CopyBuildLogAsync(string app, long number, bool follow, TextWriter output, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not read build logs");

    /// <summary>Cancels a queued or running build; answers once it stopped.</summary>
    Task<BuildView> CancelBuildAsync(string app, long number, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not cancel builds");

    /// <summary>Starts a rollback to <see cref="RollbackRequest.To"/> (or the release before the current one); follow it like a deploy.</summary>
    Task<RollbackResponse> RollbackAsync(string app, RollbackRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not roll back");

    /// <summary>What a rollback to <paramref name="to"/> (or the release before the current one) would do; changes nothing.</summary>
    Task<RollbackPreview> PreviewRollbackAsync(string app, long? to, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not preview rollbacks");

    /// <summary>The app's metrics (one service's with <paramref name="service"/>) over the last <paramref name="since"/>, in steps of <paramref name="step"/>.</summary>
    Task<AppMetricsView> GetMetricsAsync(string app, string? service, TimeSpan since, TimeSpan step, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not read metrics");

    /// <summary>What Gantry keeps on disk, by part.</summary>
    Task<DiskUsageView> GetDiskUsageAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not report disk usage");

    /// <summary>Applies the retention rules (or, with <paramref name="dryRun"/>, only reports what they would remove).</summary>
    Task<PruneReport> PruneAsync(bool dryRun, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not prune");

    /// <summary>A request to the identity endpoints (users, teams, tokens, login, audit): <paramref name="body"/> (JSON, or null) and the answer read as <paramref name="answer"/>.</summary>
    Task<TAnswer> CallAsync<TAnswer>(HttpMethod method, string path, HttpContent? body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TAnswer> answer, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not manage users");

    /// <summary>A request whose answer is plain text (the repository source an app follows).</summary>
    Task<string> CallTextAsync(HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this API client does not read text answers");
}
