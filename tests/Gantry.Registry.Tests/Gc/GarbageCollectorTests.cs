using System.Net;
using Gantry.Registry.Gc;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Gc;

/// <summary>Online GC driven by a manual clock: referenced blobs and blobs within grace stay, the rest go; retention prunes tags.</summary>
public sealed class GarbageCollectorTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    private static Task<TestRegistry> StartAsync(ManualTimeProvider time, params RetentionPolicy[] policies) => TestRegistry.StartAsync(
        o => o with { UploadGracePeriod = Grace, RetentionPolicies = policies },
        s => s.AddSingleton<TimeProvider>(time));

    [Fact]
    public async Task Run_KeepsReferencedAndRecentBlobs_DeletesOldOrphans()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using TestRegistry r = await StartAsync(time);
        (string manifest, _) = await r.PushImageAsync("gc/app", "v1");
        string oldOrphan = await r.PushBlobAsync("gc/app", TestRegistry.RandomBytes(4000));
        time.Advance(TimeSpan.FromMinutes(30));
        string recentOrphan = await r.PushBlobAsync("gc/app", TestRegistry.RandomBytes(4000));
        time.Advance(TimeSpan.FromMinutes(40));

        GarbageCollectionReport report = await r.Get<RegistryGarbageCollector>().RunAsync(CancellationToken.None);

        Assert.Equal(1, report.BlobsDeleted);
        Assert.False(File.Exists(r.BlobPath(oldOrphan)));
        Assert.True(File.Exists(r.BlobPath(recentOrphan)));
        Assert.True(File.Exists(r.BlobPath(manifest)));
        using HttpResponseMessage gone = await r.Http.GetAsync($"v2/gc/app/blobs/{oldOrphan}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using HttpResponseMessage pull = await r.Http.GetAsync("v2/gc/app/manifests/v1");
        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
    }

    [Fact]
    public async Task Run_AfterManifestDelete_CollectsItsBlobsOnceGraceHasPassed()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using TestRegistry r = await StartAsync(time);
        (string manifest, _) = await r.PushImageAsync("gc/del", "v1", layers: 3);
        using HttpResponseMessage delete = await r.Http.DeleteAsync($"v2/gc/del/manifests/{manifest}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);

        RegistryGarbageCollector gc = r.Get<RegistryGarbageCollector>();
        Assert.Equal(0, (await gc.RunAsync(CancellationToken.None)).BlobsDeleted);
        time.Advance(Grace + TimeSpan.FromMinutes(1));
        GarbageCollectionReport report = await gc.RunAsync(CancellationToken.None);
        Assert.Equal(5, report.BlobsDeleted); // config, three layers, the manifest body
        Assert.False(File.Exists(r.BlobPath(manifest)));
    }

    [Fact]
    public async Task Run_OldBlobReferencedByNewManifest_IsKept()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using TestRegistry r = await StartAsync(time);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}"u8.ToArray();
        string configDigest = await r.PushBlobAsync("gc/late", config);
        time.Advance(Grace * 3);

        // The manifest arrives after the grace period: its PUT refreshes the blob under the digest lock.
        string body = $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{configDigest}\",\"size\":{config.Length}}},\"layers\":[]}}";
        using HttpResponseMessage put = await r.PutManifestAsync("gc/late", "v1", System.Text.Encoding.UTF8.GetBytes(body), "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        time.Advance(Grace * 3);

        GarbageCollectionReport report = await r.Get<RegistryGarbageCollector>().RunAsync(CancellationToken.None);
        Assert.Equal(0, report.BlobsDeleted);
        Assert.True(File.Exists(r.BlobPath(configDigest)));
    }

    [Fact]
    public async Task Run_ConcurrentWithPushesOfSameBlobs_NeverBreaksAPush()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using TestRegistry r = await StartAsync(time);
        byte[][] blobs = [.. Enumerable.Range(0, 20).Select(_ => TestRegistry.RandomBytes(20_000))];
        foreach (byte[] b in blobs)
        {
            await r.PushBlobAsync("gc/race", b);
        }

        time.Advance(Grace * 2);
        RegistryGarbageCollector gc = r.Get<RegistryGarbageCollector>();
        Task<GarbageCollectionReport> sweep = Task.Run(() => gc.RunAsync(CancellationToken.None));
        string[] pushed = await Task.WhenAll(blobs.Select(b => r.PushBlobAsync("gc/race", b)));
        await sweep;

        // Whatever order the sweep and the pushes ran in, every blob whose push succeeded is readable and intact.
        for (int i = 0; i < blobs.Length; i++)
        {
            using HttpResponseMessage get = await r.Http.GetAsync($"v2/gc/race/blobs/{pushed[i]}");
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(blobs[i], await get.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Run_RetentionPolicy_KeepsNewestAndMatchingTags()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using TestRegistry r = await StartAsync(time, new RetentionPolicy { RepositoryPattern = "keep/*", KeepLastTags = 2, KeepTagsMatching = "^release-" });
        var digests = new Dictionary<string, string>();
        foreach (string tag in new[] { "release-1", "t1", "t2", "t3", "t4" })
        {
            digests[tag] = (await r.PushImageAsync("keep/app", tag)).Digest;
            time.Advance(TimeSpan.FromMinutes(1));
        }

        RegistryGarbageCollector gc = r.Get<RegistryGarbageCollector>();
        GarbageCollectionReport report = await gc.RunAsync(CancellationToken.None);
        Assert.Equal(2, report.TagsDeleted);
        Assert.Equal(2, report.ManifestsDeleted);

        using HttpResponseMessage list = await r.Http.GetAsync("v2/keep/app/tags/list");
        string json = await list.Content.ReadAsStringAsync();
        Assert.Contains("\"release-1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"t3\"", json, StringComparison.Ordinal);
        Assert.Contains("\"t4\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"t1\"", json, StringComparison.Ordinal);
        using HttpResponseMessage old = await r.Http.GetAsync($"v2/keep/app/manifests/{digests["t1"]}");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);

        time.Advance(Grace * 2);
        GarbageCollectionReport second = await gc.RunAsync(CancellationToken.None);
        Assert.Equal(2 * 4, second.BlobsDeleted); // two images of config + 2 layers + manifest body
        Assert.False(File.Exists(r.BlobPath(digests["t1"])));
        Assert.True(File.Exists(r.BlobPath(digests["t4"])));
    }

    [Fact]
    public async Task Run_IdleUploadSession_Expires()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using TestRegistry r = await StartAsync(time);
        using HttpResponseMessage start = await r.Http.PostAsync("v2/gc/up/blobs/uploads/", null);
        string location = start.Headers.Location!.OriginalString;
        time.Advance(Grace * 2);
        GarbageCollectionReport report = await r.Get<RegistryGarbageCollector>().RunAsync(CancellationToken.None);
        Assert.Equal(1, report.UploadsExpired);
        using HttpResponseMessage status = await r.Http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }
}
