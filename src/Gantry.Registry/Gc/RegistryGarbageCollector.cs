using Gantry.Registry.Api;
using Gantry.Registry.Storage;
using Microsoft.Extensions.Logging;

namespace Gantry.Registry.Gc;

/// <summary>
/// Online garbage collection with no read-only window. Retention first deletes tags (and manifests left untagged by
/// them); then every blob no manifest references and older than the grace period is deleted under its digest lock,
/// after re-checking both conditions, so a push of the same digest racing the sweep either finds the blob refreshed
/// (and kept) or finds it gone and uploads it again. Idle upload sessions expire after the same grace period.
/// The newest runs are listed for `gantry registry gc` and the console; those worth keeping (started by someone, failed,
/// or removed something) are kept in the metadata store and survive a restart. A scheduled run that found nothing is
/// kept in memory only: writing one every interval would write at rest for a run that changed nothing.
/// </summary>
public sealed partial class RegistryGarbageCollector(RegistryCore core, ILogger<RegistryGarbageCollector> logger)
{
    /// <summary>Runs kept for the listing; the background schedule adds one every interval, so the ring stays small.</summary>
    public const int KeptRuns = 20;

    private readonly SemaphoreSlim _single = new(1, 1);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly LinkedList<GarbageCollectionRun> _runs = new();
    private bool _loaded;
    private long _lastId;

    /// <summary>Raised when a run starts and when it ends (on the run's task; handlers must not block): the console follows it.</summary>
    public event Action<GarbageCollectionRun>? RunRecorded;

    /// <summary>The newest runs, newest first, the one in progress (no <see cref="GarbageCollectionRun.FinishedAt"/>) included: the kept ones from the store, then this process's.</summary>
    public async Task<IReadOnlyList<GarbageCollectionRun>> RunsAsync(CancellationToken ct)
    {
        await LoadAsync(ct).ConfigureAwait(false);
        lock (_runs)
        {
            return [.. _runs];
        }
    }

    /// <summary>Reads the kept runs once, before the first listing or run, so ids keep growing across restarts.</summary>
    private async Task LoadAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _loaded))
        {
            return;
        }
        await _loading.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_loaded)
            {
                return;
            }
            IReadOnlyList<GarbageCollectionRun> kept = await core.Metadata.ListGcRunsAsync(KeptRuns, ct).ConfigureAwait(false);
            lock (_runs)
            {
                foreach (GarbageCollectionRun run in kept.OrderBy(r => r.Id))
                {
                    _runs.AddFirst(run);
                }
                _lastId = Math.Max(_lastId, kept.Count == 0 ? 0 : kept.Max(r => r.Id));
            }
            Volatile.Write(ref _loaded, true);
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Whether a finished run goes to the store: someone started it, it failed, or it removed something.</summary>
    public static bool WorthKeeping(GarbageCollectionRun run) =>
        run.StartedBy is not null || run.Error is not null
        || run.Report is { } r && (r.TagsDeleted > 0 || r.ManifestsDeleted > 0 || r.BlobsDeleted > 0 || r.UploadsExpired > 0);

    /// <summary>Every retention rule the collector applies: the configured ones, then those set at run time.</summary>
    public async Task<IReadOnlyList<RetentionPolicy>> RetentionPoliciesAsync(CancellationToken ct) =>
        [.. core.Options.RetentionPolicies, .. await core.Metadata.ListRetentionPoliciesAsync(ct).ConfigureAwait(false)];

    public Task<GarbageCollectionReport> RunAsync(CancellationToken ct) => RunAsync(null, ct);

    /// <summary>Runs once, after any run in progress; <paramref name="startedBy"/> names who asked (null: the schedule). Throws what the run threw.</summary>
    public async Task<GarbageCollectionReport> RunAsync(string? startedBy, CancellationToken ct)
    {
        GarbageCollectionRun run = await CollectAsync(startedBy, ct).ConfigureAwait(false);
        return run.Report ?? throw new InvalidOperationException($"registry garbage collection failed: {run.Error}");
    }

    /// <summary>Runs once, after any run in progress, and answers with the finished run (its report, or its error).</summary>
    public async Task<GarbageCollectionRun> CollectAsync(string? startedBy, CancellationToken ct)
    {
        await LoadAsync(ct).ConfigureAwait(false);
        await _single.WaitAsync(ct).ConfigureAwait(false);
        var run = new GarbageCollectionRun(Interlocked.Increment(ref _lastId), core.Time.GetUtcNow(), startedBy);
        Record(run);
        try
        {
            (int tags, int manifests) = await ApplyRetentionAsync(ct).ConfigureAwait(false);
            (int blobs, long bytes) = await SweepBlobsAsync(ct).ConfigureAwait(false);
            int uploads = core.Uploads.SweepIdle(core.Time.GetUtcNow() - core.Options.UploadGracePeriod);
            var report = new GarbageCollectionReport(tags, manifests, blobs, bytes, uploads);
            LogSwept(logger, tags, manifests, blobs, bytes, uploads);
            run = run with { FinishedAt = core.Time.GetUtcNow(), Report = report };
        }
        catch (OperationCanceledException)
        {
            run = run with { FinishedAt = core.Time.GetUtcNow(), Error = "stopped before it finished" };
            Record(run);
            await KeepAsync(run).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogRunFailed(logger, e);
            run = run with { FinishedAt = core.Time.GetUtcNow(), Error = e.Message };
        }
        finally
        {
            _single.Release();
        }

        Record(run);
        await KeepAsync(run).ConfigureAwait(false);
        return run;
    }

    /// <summary>Writes a finished run worth keeping; a failure to write is logged, never the run's failure.</summary>
    private async Task KeepAsync(GarbageCollectionRun run)
    {
        if (!WorthKeeping(run))
        {
            return;
        }
        try
        {
            // Not the caller's token: a run stopped by shutdown is still recorded as stopped.
            await core.Metadata.AddGcRunAsync(run, KeptRuns, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogKeepFailed(logger, e, run.Id);
        }
    }

    /// <summary>Adds a run, or replaces the entry with its id (a finished run replaces its start).</summary>
    private void Record(GarbageCollectionRun run)
    {
        lock (_runs)
        {
            if (_runs.First is { } newest && newest.Value.Id == run.Id)
            {
                newest.Value = run;
            }
            else
            {
                _runs.AddFirst(run);
                while (_runs.Count > KeptRuns)
                {
                    _runs.RemoveLast();
                }
            }
        }
        RunRecorded?.Invoke(run);
    }

    private async Task<(int Tags, int Manifests)> ApplyRetentionAsync(CancellationToken ct)
    {
        IReadOnlyList<RetentionPolicy> policies = await RetentionPoliciesAsync(ct).ConfigureAwait(false);
        if (policies.Count == 0)
        {
            return (0, 0);
        }

        int tagsDeleted = 0;
        int manifestsDeleted = 0;
        string? last = null;
        while (true)
        {
            IReadOnlyList<string> page = await core.Metadata.ListRepositoriesAsync(last, 500, ct).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            foreach (string repository in page)
            {
                foreach (RetentionPolicy policy in policies)
                {
                    if (!RepositoryPatterns.Matches(policy.RepositoryPattern, repository))
                    {
                        continue;
                    }

                    IReadOnlyList<TagRecord> tags = await core.Metadata.ListTagRecordsAsync(repository, ct).ConfigureAwait(false);
                    foreach (TagRecord tag in RetentionPlanner.TagsToDelete(policy, tags))
                    {
                        if (!await core.Metadata.DeleteTagAsync(repository, tag.Tag, ct).ConfigureAwait(false))
                        {
                            continue;
                        }

                        tagsDeleted++;
                        core.InvalidateTag(repository, tag.Tag);
                        core.Publish(RegistryEventAction.Delete, repository, tag.Digest, tag.Tag, null, 0, "retention");
                        manifestsDeleted += await DeleteIfOrphanAsync(repository, tag.Digest, depth: 0, ct).ConfigureAwait(false);
                    }
                }
            }

            last = page[^1];
        }

        return (tagsDeleted, manifestsDeleted);
    }

    /// <summary>Deletes a manifest no tag and no index in the repository points at; an index's children follow it.</summary>
    private async Task<int> DeleteIfOrphanAsync(string repository, string digest, int depth, CancellationToken ct)
    {
        IReadOnlyList<TagRecord> tags = await core.Metadata.ListTagRecordsAsync(repository, ct).ConfigureAwait(false);
        if (depth > 2 || tags.Any(t => t.Digest == digest) || await core.Metadata.IsManifestReferencedAsync(repository, digest, ct).ConfigureAwait(false))
        {
            return 0;
        }

        ManifestRecord? record = await core.Metadata.GetManifestAsync(repository, digest, ct).ConfigureAwait(false);
        if (record is null)
        {
            return 0;
        }

        byte[] body;
        try
        {
            body = await File.ReadAllBytesAsync(core.Blobs.PathFor(digest), ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            body = [];
        }

        if (await core.Metadata.DeleteManifestAsync(repository, digest, ct).ConfigureAwait(false) is null)
        {
            return 0;
        }

        core.InvalidateRepository(repository);
        int deleted = 1;
        if (body.Length > 0 && Content.ManifestParser.Parse(body, record.MediaType).Manifest is { } parsed)
        {
            foreach (string child in parsed.ManifestDigests)
            {
                deleted += await DeleteIfOrphanAsync(repository, child, depth + 1, ct).ConfigureAwait(false);
            }
        }

        return deleted;
    }

    private async Task<(int Blobs, long Bytes)> SweepBlobsAsync(CancellationToken ct)
    {
        IReadOnlySet<string> referenced = await core.Metadata.ListReferencedDigestsAsync(ct).ConfigureAwait(false);
        DateTime cutoff = (core.Time.GetUtcNow() - core.Options.UploadGracePeriod).UtcDateTime;
        int deleted = 0;
        long bytes = 0;
        foreach ((string digest, DateTime lastWrite) in core.Blobs.EnumerateBlobs().ToList())
        {
            if (referenced.Contains(digest) || lastWrite >= cutoff)
            {
                continue;
            }

            using (await core.Blobs.Locks.AcquireAsync(digest, ct).ConfigureAwait(false))
            {
                // Re-check under the lock: a manifest PUT or a mount may have touched or referenced it meanwhile.
                var file = new FileInfo(core.Blobs.PathFor(digest));
                if (!file.Exists || file.LastWriteTimeUtc >= cutoff || await core.Metadata.IsDigestReferencedAsync(digest, ct).ConfigureAwait(false))
                {
                    continue;
                }

                long size = file.Length;
                file.Delete();
                await core.Metadata.RemoveBlobLinksAsync(digest, ct).ConfigureAwait(false);
                deleted++;
                bytes += size;
            }
        }

        return (deleted, bytes);
    }

    [LoggerMessage(EventId = 5304, Level = LogLevel.Warning, Message = "Registry GC run {Id} could not be kept in registry.db")]
    private static partial void LogKeepFailed(ILogger logger, Exception ex, long id);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Error, Message = "Registry garbage collection failed")]
    private static partial void LogRunFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Registry GC: {Tags} tags and {Manifests} manifests removed by retention, {Blobs} blobs ({Bytes} bytes) deleted, {Uploads} idle uploads expired")]
    private static partial void LogSwept(ILogger logger, int tags, int manifests, int blobs, long bytes, int uploads);
}
