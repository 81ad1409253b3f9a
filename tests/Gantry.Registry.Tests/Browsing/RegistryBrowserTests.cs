using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gantry.Registry.Browsing;
using Gantry.Registry.Gc;
using Gantry.Registry.Storage;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Browsing;

/// <summary>What the server's API and console read and delete through: pushers, sizes, deletes shared with DELETE /v2, stored retention and GC runs.</summary>
public sealed class RegistryBrowserTests
{
    [Fact]
    public async Task ListTags_AfterPushWithBasicAuth_HasPusherSizeAndDigest()
    {
        await using TestRegistry r = await TestRegistry.StartAsync(
            o => o with { RequireAuth = true },
            s => s.AddSingleton<IRegistryCredentialValidator>(new StaticCredentialValidator().Add("alice", "s3cret")));
        r.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret")));
        (string digest, byte[] body) = await r.PushImageAsync("team/app", "v1", layers: 2);
        await r.PushImageAsync("team/other", "v1", layers: 1);

        RegistryBrowser browser = r.Get<RegistryBrowser>();
        ImageTag tag = Assert.Single((await browser.ListTagsAsync("team/app", CancellationToken.None))!);
        IReadOnlyList<RepositorySummary> repositories = await browser.ListRepositoriesAsync(n => n != "team/other", CancellationToken.None);

        Assert.Equal(("v1", digest, "alice"), (tag.Tag, tag.Digest, tag.PushedBy));
        // The manifest, its config and the two random layers of 1000 and 1001 bytes.
        long config = new FileInfo(r.BlobPath(DigestOfConfig(body))).Length;
        Assert.Equal(body.Length + config + 1000 + 1001, tag.Size);
        RepositorySummary summary = Assert.Single(repositories);
        Assert.Equal(("team/app", 1, "alice"), (summary.Name, summary.Tags, summary.LastPushedBy));
        Assert.Null(await browser.ListTagsAsync("team/none", CancellationToken.None));
    }

    [Fact]
    public async Task Delete_TagThenDigest_RemovesTheTagThenTheManifestAndPublishesDeletes()
    {
        await using TestRegistry r = await TestRegistry.StartAsync();
        (string digest, _) = await r.PushImageAsync("team/del", "v1");
        using (HttpResponseMessage second = await r.PutManifestAsync("team/del", "v2", await r.Http.GetByteArrayAsync($"v2/team/del/manifests/{digest}"), "application/vnd.oci.image.manifest.v1+json"))
        {
            Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        }
        RegistryBrowser browser = r.Get<RegistryBrowser>();

        ImageDeletion tag = await browser.DeleteAsync("team/del", "v1", "bob", CancellationToken.None);
        using HttpResponseMessage stillByDigest = await r.Http.GetAsync($"v2/team/del/manifests/{digest}");
        ImageDeletion manifest = await browser.DeleteAsync("team/del", digest, "bob", CancellationToken.None);
        ImageDeletion again = await browser.DeleteAsync("team/del", digest, "bob", CancellationToken.None);
        ImageDeletion invalid = await browser.DeleteAsync("team/del", "sha256:nothex", "bob", CancellationToken.None);

        Assert.Equal((ImageDeletionResult.Deleted, digest), (tag.Result, tag.Digest));
        Assert.Equal(HttpStatusCode.OK, stillByDigest.StatusCode);
        Assert.Equal(ImageDeletionResult.Deleted, manifest.Result);
        Assert.Equal(["v2"], manifest.Tags);
        Assert.Equal(ImageDeletionResult.NotFound, again.Result);
        Assert.Equal(ImageDeletionResult.InvalidReference, invalid.Result);
        using HttpResponseMessage gone = await r.Http.GetAsync("v2/team/del/manifests/v2");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task ListUntagged_AfterATagDelete_ListsItsManifestButNoTaggedOne()
    {
        await using TestRegistry r = await TestRegistry.StartAsync();
        (string first, byte[] body) = await r.PushImageAsync("team/untag", "v1");
        (string second, _) = await r.PushImageAsync("team/untag", "v2");
        RegistryBrowser browser = r.Get<RegistryBrowser>();
        Assert.Empty((await browser.ListUntaggedAsync("team/untag", CancellationToken.None))!);

        await browser.DeleteAsync("team/untag", "v1", "bob", CancellationToken.None);
        UntaggedManifest untagged = Assert.Single((await browser.ListUntaggedAsync("team/untag", CancellationToken.None))!);

        Assert.Equal(first, untagged.Digest);
        Assert.NotEqual(second, untagged.Digest);
        Assert.True(untagged.Size > body.Length);
        Assert.Null(await browser.ListUntaggedAsync("team/none", CancellationToken.None));
    }

    [Fact]
    public async Task Gc_WithStoredRetentionRule_AppliesItAndRecordsTheRun()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using TestRegistry r = await TestRegistry.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        foreach (string tag in new[] { "1", "2", "3" })
        {
            await r.PushImageAsync("team/keep", tag, layers: 1);
            time.Advance(TimeSpan.FromMinutes(1));
        }
        await r.Get<IRegistryMetadataStore>().PutRetentionPolicyAsync(new RetentionPolicy { RepositoryPattern = "team/*", KeepLastTags = 1 }, CancellationToken.None);
        RegistryGarbageCollector gc = r.Get<RegistryGarbageCollector>();

        GarbageCollectionReport report = await gc.RunAsync("carol", CancellationToken.None);
        await gc.RunAsync(CancellationToken.None);

        Assert.Equal((2, 2), (report.TagsDeleted, report.ManifestsDeleted));
        Assert.Equal("3", Assert.Single((await r.Get<RegistryBrowser>().ListTagsAsync("team/keep", CancellationToken.None))!).Tag);
        var runs = await gc.RunsAsync(CancellationToken.None);
        Assert.Collection(runs,
            newest => Assert.Equal((2L, null, 0), (newest.Id, newest.StartedBy, newest.Report!.TagsDeleted)),
            first => Assert.Equal((1L, "carol", report), (first.Id, first.StartedBy, first.Report)));
        Assert.All(runs, run => Assert.NotNull(run.FinishedAt));
        Assert.Single(await gc.RetentionPoliciesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task MetadataStore_OpenedOnADatabaseWithoutPushers_AddsTheColumnsAndKeepsTheRows()
    {
        string directory = Directory.CreateTempSubdirectory("gdr-old-").FullName;
        string path = Path.Combine(directory, "registry.db");
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE tags(repository TEXT NOT NULL, tag TEXT NOT NULL, digest TEXT NOT NULL, pushed_at INTEGER NOT NULL, PRIMARY KEY(repository, tag)) WITHOUT ROWID;
                CREATE TABLE manifests(repository TEXT NOT NULL, digest TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL,
                    artifact_type TEXT, subject TEXT, annotations TEXT, pushed_at INTEGER NOT NULL, PRIMARY KEY(repository, digest)) WITHOUT ROWID;
                INSERT INTO tags VALUES('team/app', 'v1', 'sha256:aa', 1000);
                """;
            create.ExecuteNonQuery();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        using var store = new SqliteMetadataStore(path, TimeProvider.System);
        TagRecord tag = Assert.Single(await store.ListTagRecordsAsync("team/app", CancellationToken.None));

        Assert.Equal(("v1", null), (tag.Tag, tag.PushedBy));
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("team/*", 5, null, 0)]
    [InlineData("team/*", null, "^v", 0)]
    [InlineData("Team/*", 5, null, 1)]
    [InlineData("team/*", -1, null, 1)]
    [InlineData("team/*", null, "([", 1)]
    [InlineData("team/*", null, null, 1)]
    [InlineData("", -2, "([", 3)]
    public void Validate_Rule_ReportsEveryProblem(string pattern, int? keepLast, string? keepMatching, int errors)
    {
        IReadOnlyList<string> found = new RetentionPolicy { RepositoryPattern = pattern, KeepLastTags = keepLast, KeepTagsMatching = keepMatching }.Validate();

        Assert.Equal(errors, found.Count);
    }

    private static string DigestOfConfig(byte[] manifest)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(manifest);
        return doc.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
    }
}
