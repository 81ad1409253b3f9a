using Gantry.Registry.Gc;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Gc;

/// <summary>The dry run names exactly what the run after it deletes, and deletes nothing; the runs worth keeping survive a restart.</summary>
public sealed class GarbageCollectorPreviewTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    [Fact]
    public async Task Preview_RetentionAndOldOrphans_ListsWhatTheNextRunDeletesAndDeletesNothing()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using TestRegistry r = await TestRegistry.StartAsync(
            o => o with { UploadGracePeriod = Grace, RetentionPolicies = [new RetentionPolicy { RepositoryPattern = "prev/*", KeepLastTags = 1 }] },
            s => s.AddSingleton<TimeProvider>(time));
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string tag in new[] { "v1", "v2", "v3" })
        {
            digests[tag] = (await r.PushImageAsync("prev/app", tag)).Digest;
            time.Advance(TimeSpan.FromMinutes(1));
        }
        (string kept, _) = await r.PushImageAsync("other/app", "v1");
        string orphan = await r.PushBlobAsync("other/app", TestRegistry.RandomBytes(3000));
        time.Advance(Grace * 2);
        RegistryGarbageCollector gc = r.Get<RegistryGarbageCollector>();

        GarbageCollectionPreview preview = await gc.PreviewAsync(CancellationToken.None);

        Assert.Equal(["v2", "v1"], preview.Tags.Select(t => t.Tag));
        Assert.Equal([digests["v2"], digests["v1"]], preview.Manifests.Select(m => m.Digest));
        // Two images of config + 2 layers + manifest body, and the orphan: never the kept images' blobs.
        Assert.Equal(9, preview.Blobs.Count);
        Assert.Contains(preview.Blobs, b => b.Digest == orphan && b.Size == 3000);
        Assert.DoesNotContain(preview.Blobs, b => b.Digest == digests["v3"] || b.Digest == kept);
        Assert.Equal(preview.Blobs.Sum(b => new FileInfo(r.BlobPath(b.Digest)).Length), preview.Bytes);
        Assert.All(preview.Blobs, b => Assert.True(File.Exists(r.BlobPath(b.Digest))));
        Assert.Equal(3, (await r.Get<IRegistryMetadataStore>().ListTagRecordsAsync("prev/app", CancellationToken.None)).Count);
        Assert.Empty(await gc.RunsAsync(CancellationToken.None));

        GarbageCollectionReport report = await gc.RunAsync(CancellationToken.None);
        Assert.Equal(new GarbageCollectionReport(preview.Tags.Count, preview.Manifests.Count, preview.Blobs.Count, preview.Bytes, preview.UploadsExpiring), report);
        Assert.Empty((await gc.PreviewAsync(CancellationToken.None)).Blobs);
    }

    [Fact]
    public async Task Runs_StartedBySomeoneOrRemovingSomething_AreKeptAcrossARestartAndIdleScheduledOnesAreNot()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        string root = Path.Combine(Path.GetTempPath(), "gdr-" + Guid.NewGuid().ToString("N")[..12]);
        long byAlice, bySchedule, idle;
        await using (TestRegistry r = await TestRegistry.StartAsync(o => o with { UploadGracePeriod = Grace }, s => s.AddSingleton<TimeProvider>(time), root))
        {
            r.KeepRoot = true;
            RegistryGarbageCollector gc = r.Get<RegistryGarbageCollector>();
            byAlice = (await gc.CollectAsync("alice", CancellationToken.None)).Id;
            await r.PushBlobAsync("keep/app", TestRegistry.RandomBytes(2000));
            time.Advance(Grace * 2);
            bySchedule = (await gc.CollectAsync(null, CancellationToken.None)).Id;
            idle = (await gc.CollectAsync(null, CancellationToken.None)).Id;
            Assert.Equal([idle, bySchedule, byAlice], (await gc.RunsAsync(CancellationToken.None)).Select(x => x.Id));
        }

        await using (TestRegistry again = await TestRegistry.StartAsync(o => o with { UploadGracePeriod = Grace }, s => s.AddSingleton<TimeProvider>(time), root))
        {
            RegistryGarbageCollector gc = again.Get<RegistryGarbageCollector>();
            var runs = await gc.RunsAsync(CancellationToken.None);
            Assert.Equal([bySchedule, byAlice], runs.Select(x => x.Id));
            Assert.Equal("alice", runs[1].StartedBy);
            Assert.Equal(1, runs[0].Report!.BlobsDeleted);
            Assert.Equal(2000, runs[0].Report!.BytesFreed);
            Assert.NotNull(runs[0].FinishedAt);
            // Numbers keep growing past the kept ones.
            Assert.True((await gc.CollectAsync("bob", CancellationToken.None)).Id > bySchedule);
        }
    }
}
