using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Server.Apps;
using Gantry.Server.Releases;
using Gantry.Store;
using Gantry.Store.Sqlite;

namespace Gantry.Server.Tests.Releases;

public sealed class ReleaseServiceTests : StoreFixture
{
    private ReleaseBook _book = null!;
    private ReleaseService _releases = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _book = new ReleaseBook(Store, Time);
        _releases = new ReleaseService(Store, _book, Time);
    }

    private static AppSpec Version(int n) => new()
    {
        Name = "shop",
        Services = [new ServiceSpec { Name = "web", Image = "web:1", PinnedImage = $"sha256:{n}", Environment = new SortedDictionary<string, string?>(StringComparer.Ordinal) { ["V"] = $"{n}" } }],
    };

    /// <summary>Deploys releases 1..n of shop through the service, each live in turn, with the one before warm.</summary>
    private async Task DeployAsync(int releases)
    {
        for (var n = 1; n <= releases; n++)
        {
            await _releases.CommitAsync(Version(n), ReleaseCauses.Deploy, "admin");
            await _book.UpdateStateAsync("shop", n, s => s with { Phase = ReleasePhases.Live, LiveAt = Time.GetUtcNow(), ImageIds = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["web"] = $"sha256:{n}" } });
            if (n > 1)
            {
                await _book.UpdateStateAsync("shop", n - 1, s => s with { Phase = ReleasePhases.Superseded });
            }
        }
        var app = (await Store.GetAppAsync("shop"))!;
        var status = new AppStatus
        {
            Release = releases,
            Services = [new ServiceStatus("web") { LiveRelease = releases, Warm = releases > 1 ? new WarmSet("hash", releases - 1, Time.GetUtcNow().AddMinutes(10)) : null }],
        };
        await Store.UpdateStatusAsync(AppKinds.App, "shop", StoredApp.Json(status), app.Resource.Generation);
    }

    [Fact]
    public async Task RollbackAsync_RecordsEverythingInOneWrite()
    {
        await DeployAsync(2);
        var before = (await Store.GetAppAsync("shop"))!.Resource.ResourceVersion;
        var changes = new List<ResourceChange>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watching = Task.Run(async () =>
        {
            await foreach (var change in Store.WatchAsync(null, before, stop.Token))
            {
                changes.Add(change);
                if (changes.Count(c => c.Type != ResourceChangeType.Synced) == 3)
                {
                    return;
                }
            }
        });

        var outcome = await _releases.RollbackAsync("shop", null, ReleaseCauses.Rollback, "admin", null, CancellationToken.None);

        Assert.Equal(ChangeOutcomeKind.Accepted, outcome.Kind);
        Assert.Equal((3L, 1L, true), (outcome.Response!.Release, outcome.Response.Target, outcome.Response.Warm));
        await watching;
        var written = changes.Where(c => c.Type != ResourceChangeType.Synced).ToList();
        // The new release, the app pointed at it, the rolled-back release: consecutive versions of one transaction.
        Assert.Equal(["Release/shop.3", "App/shop", "Release/shop.2"], written.Select(c => $"{c.Resource!.Kind}/{c.Resource.Name}"));
        Assert.Equal([before + 1, before + 2, before + 3], written.Select(c => c.ResourceVersion));
        Assert.Equal(ReleasePhases.RolledBack, (await _book.GetAsync("shop", 2))!.State.Phase);
        var app = (await Store.GetAppAsync("shop"))!;
        Assert.Equal(3, app.Spec.Release);
        Assert.Equal("sha256:1", app.Spec.Services[0].PinnedImage);
        var reasons = (await Store.ListEventsAsync(new EventQuery { App = "shop" })).Select(e => e.Reason).ToList();
        Assert.Equal([EventReasons.ReleaseCreated, EventReasons.RollbackStarted], reasons.TakeLast(2));
    }

    [Fact]
    public async Task RollbackAsync_ReleaseRanByDigestOnACluster_PinsThatDigest()
    {
        await DeployAsync(2);
        var digest = "10.99.0.1:7070/default/shop-web@sha256:" + new string('1', 64);
        await _book.UpdateStateAsync("shop", 1, s => s with { ImageDigests = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["web"] = digest } });

        var outcome = await _releases.RollbackAsync("shop", 1, ReleaseCauses.Rollback, "admin", null, CancellationToken.None);

        Assert.Equal(ChangeOutcomeKind.Accepted, outcome.Kind);
        var web = (await Store.GetAppAsync("shop"))!.Spec.Services[0];
        Assert.Equal(("sha256:1", digest), (web.PinnedImage, web.PinnedDigest));
    }

    [Fact]
    public async Task RollbackAsync_StatusWrittenInBetween_RetriesAndMakesOneRelease()
    {
        await DeployAsync(2);
        var racing = new RacingStore(Store);
        var releases = new ReleaseService(racing, new ReleaseBook(racing, Time), Time);

        var outcome = await releases.RollbackAsync("shop", 1, ReleaseCauses.Rollback, "admin", null, CancellationToken.None);

        Assert.Equal(ChangeOutcomeKind.Accepted, outcome.Kind);
        Assert.Equal(2, racing.Commits);
        Assert.Equal([3L, 2, 1], (await _book.ListAsync("shop")).Select(r => r.Record.Number));
    }

    [Fact]
    public async Task RollbackAsync_ToTheCurrentRelease_IsAConflictAndWritesNothing()
    {
        await DeployAsync(2);
        var version = (await Store.GetAppAsync("shop"))!.Resource.ResourceVersion;

        var outcome = await _releases.RollbackAsync("shop", 2, ReleaseCauses.Rollback, "admin", null, CancellationToken.None);

        Assert.Equal(ChangeOutcomeKind.Conflict, outcome.Kind);
        Assert.Contains("current release", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(version, (await Store.GetAppAsync("shop"))!.Resource.ResourceVersion);
        Assert.Equal(2, (await _book.ListAsync("shop")).Count);
    }

    [Fact]
    public async Task RollbackAsync_MissingAppOrRelease_IsMissing()
    {
        await DeployAsync(2);

        Assert.Equal(ChangeOutcomeKind.Missing, (await _releases.RollbackAsync("nope", null, ReleaseCauses.Rollback, "admin", null, CancellationToken.None)).Kind);
        var outcome = await _releases.RollbackAsync("shop", 9, ReleaseCauses.Rollback, "admin", null, CancellationToken.None);
        Assert.Equal(ChangeOutcomeKind.Missing, outcome.Kind);
        Assert.Contains("gantry releases shop", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreviewRollbackAsync_SaysWhatTheRollbackThenDoesAndWritesNothing()
    {
        await DeployAsync(3);
        var version = (await Store.GetAppAsync("shop"))!.Resource.ResourceVersion;

        var warm = await _releases.PreviewRollbackAsync("shop", null, CancellationToken.None);
        var cold = await _releases.PreviewRollbackAsync("shop", 1, CancellationToken.None);

        Assert.Equal(ChangeOutcomeKind.Accepted, warm.Kind);
        Assert.Equal((3L, 2L, true), (warm.Response!.From, warm.Response.Target, warm.Response.Warm));
        Assert.Equal("restores release 2 (its replicas are warm: traffic swaps back)", warm.Response.Message);
        Assert.Equal((1L, false), (cold.Response!.Target, cold.Response.Warm));
        Assert.Equal(version, (await Store.GetAppAsync("shop"))!.Resource.ResourceVersion);
        Assert.Equal(3, (await _book.ListAsync("shop")).Count);
        // The rollback itself decides the same.
        var done = await _releases.RollbackAsync("shop", null, ReleaseCauses.Rollback, "alice", null, CancellationToken.None);
        Assert.Equal((2L, true, warm.Response.Message), (done.Response!.Target, done.Response.Warm, done.Response.Message));
        Assert.Equal("alice", (await _book.GetAsync("shop", 4))!.Record.CreatedBy);
    }

    [Fact]
    public async Task PreviewRollbackAsync_ToTheCurrentRelease_IsTheRollbacksConflict()
    {
        await DeployAsync(2);

        var preview = await _releases.PreviewRollbackAsync("shop", 2, CancellationToken.None);

        Assert.Equal(ChangeOutcomeKind.Conflict, preview.Kind);
        Assert.Equal((await _releases.RollbackAsync("shop", 2, ReleaseCauses.Rollback, "admin", null, CancellationToken.None)).Reason, preview.Reason);
    }

    [Fact]
    public async Task CommitAsync_NumberTakenConcurrently_RetriedUnderOptimisticRetry()
    {
        await DeployAsync(1);
        // Another deploy takes number 2 between this one's read and its write.
        var racing = new RacingStore(Store) { Race = store => store.CreateAsync(ReleaseBook.Kind, ReleaseRecord.NameOf("shop", 2), JsonSerializer.Serialize(new ReleaseRecord { App = "shop", Number = 2, Spec = Version(2) }, ModelJsonContext.Default.ReleaseRecord)) };
        var releases = new ReleaseService(racing, new ReleaseBook(racing, Time), Time);

        var (record, app) = await OptimisticRetry.RunAsync(() => releases.CommitAsync(Version(3), ReleaseCauses.Deploy, "admin"));

        Assert.Equal(3, record.Number);
        Assert.Equal(3, StoredApp.From(app).Spec.Release);
    }

    /// <summary>A store whose first batch meets a write that happened in between (the controller's status write by default).</summary>
    private sealed class RacingStore(SqliteResourceStore inner) : IResourceStore
    {
        public int Commits { get; private set; }

        public Func<IResourceStore, Task> Race { get; init; } = async store =>
        {
            var app = StoredApp.From((await store.GetAsync(AppKinds.App, "shop"))!);
            await store.UpdateStatusAsync(AppKinds.App, "shop", StoredApp.Json(app.Status! with { Message = "a replica restarted" }), app.Resource.Generation);
        };

        public async Task<StoreBatchResult> CommitAsync(StoreBatch batch, CancellationToken ct = default)
        {
            if (++Commits == 1)
            {
                await Race(inner);
            }
            return await inner.CommitAsync(batch, ct);
        }

        public Task<StoredResource?> GetAsync(string kind, string name, CancellationToken ct = default) => inner.GetAsync(kind, name, ct);
        public Task<IReadOnlyList<StoredResource>> ListAsync(string kind, CancellationToken ct = default) => inner.ListAsync(kind, ct);
        public Task<StoredResource> CreateAsync(string kind, string name, string specJson, CancellationToken ct = default) => inner.CreateAsync(kind, name, specJson, ct);
        public Task<StoredResource> UpsertSpecAsync(string kind, string name, string specJson, long? expectedResourceVersion, CancellationToken ct = default) => inner.UpsertSpecAsync(kind, name, specJson, expectedResourceVersion, ct);
        public Task<StoredResource> UpdateStatusAsync(string kind, string name, string statusJson, long observedGeneration, long? expectedResourceVersion = null, CancellationToken ct = default) => inner.UpdateStatusAsync(kind, name, statusJson, observedGeneration, expectedResourceVersion, ct);
        public Task<StoredResource> RequestDeletionAsync(string kind, string name, CancellationToken ct = default) => inner.RequestDeletionAsync(kind, name, ct);
        public Task<bool> DeleteAsync(string kind, string name, long? expectedResourceVersion = null, CancellationToken ct = default) => inner.DeleteAsync(kind, name, expectedResourceVersion, ct);
        public IAsyncEnumerable<ResourceChange> WatchAsync(string? kind, CancellationToken ct) => inner.WatchAsync(kind, ct);
        public IAsyncEnumerable<ResourceChange> WatchAsync(string? kind, long afterResourceVersion, CancellationToken ct) => inner.WatchAsync(kind, afterResourceVersion, ct);
        public Task<EventRecord> AppendEventAsync(NewEvent e, CancellationToken ct = default) => inner.AppendEventAsync(e, ct);
        public Task<IReadOnlyList<EventRecord>> ListEventsAsync(EventQuery q, CancellationToken ct = default) => inner.ListEventsAsync(q, ct);
        public IAsyncEnumerable<EventRecord> FollowEventsAsync(EventQuery q, CancellationToken ct) => inner.FollowEventsAsync(q, ct);
        public Task<string?> GetSettingAsync(string key, CancellationToken ct = default) => inner.GetSettingAsync(key, ct);
        public Task SetSettingAsync(string key, string value, CancellationToken ct = default) => inner.SetSettingAsync(key, value, ct);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
