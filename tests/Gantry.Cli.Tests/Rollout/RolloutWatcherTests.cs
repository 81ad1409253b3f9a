using System.Runtime.CompilerServices;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Cli.Rollout;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;
using Gantry.Model.Status;

namespace Gantry.Cli.Tests.Rollout;

public sealed class RolloutWatcherTests
{
    [Fact]
    public async Task WaitAsync_EventStreamDrops_ResumesAfterTheLastEventSeen()
    {
        var api = new ScriptedApi();
        using var output = new StringWriter();
        var watcher = new RolloutWatcher(api, new LineProgressView(output), TimeProvider.System) { PollInterval = TimeSpan.FromMilliseconds(10) };

        var detail = await watcher.WaitAsync("shop", 2, 10, TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.Equal(AppPhase.Running, detail.Phase);
        Assert.Equal([10L, 11L], api.FollowedAfter);
        Assert.Contains("warning: shop-web-1-abcdef12: ReplicaBackoff: restarting", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The first event stream sends one warning and drops; the second stays open. The app runs once
    /// the second stream is connected, so the rollout can only finish if the watcher resumed it.
    /// </summary>
    private sealed class ScriptedApi : IGantryApi
    {
        private volatile bool _resumed;

        public List<long> FollowedAfter { get; } = [];

        public string Server => "http://test";

        public Task<AppDetail?> FindAppAsync(string app, CancellationToken cancellationToken) =>
            Task.FromResult<AppDetail?>(_resumed
                ? Samples.App(app, AppPhase.Running, 2, 2, running: 1, healthy: 1)
                : Samples.App(app, AppPhase.Deploying, 2, 2));

        public async IAsyncEnumerable<EventView> FollowEventsAsync(string app, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            lock (FollowedAfter)
            {
                FollowedAfter.Add(after);
            }
            if (after == 10)
            {
                yield return Samples.Event(11, EventReasons.ReplicaBackoff, "Warning", "restarting");
                yield break;
            }
            _resumed = true;
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        public Task<IReadOnlyList<AppSummary>> ListAppsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DeployResponse> DeployAsync(string app, DeployRequest request, Func<Stream, CancellationToken, Task> writeBundle, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAppAsync(string app, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DeployResponse> ScaleAsync(string app, ScaleRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ReplicaView>> ListReplicasAsync(string app, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<EventView>> ListEventsAsync(string app, long after, int? limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<LogLine> StreamLogsAsync(string app, string? service, bool follow, int? tail, LogsFilter filter, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
