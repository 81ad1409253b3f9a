using System.Net;
using System.Text.Json;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Conformance;

/// <summary>OCI distribution spec, "Content discovery": tag list, catalog, referrers.</summary>
public sealed class ContentDiscoveryTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private TestRegistry R => fixture.Registry;

    [Fact]
    public async Task TagsList_Paginated_FollowsLinkHeader()
    {
        string repo = RegistryFixture.NewRepository();
        (string digest, byte[] body) = await R.PushImageAsync(repo, "c");
        foreach (string tag in new[] { "a", "e", "b", "d" })
        {
            using HttpResponseMessage put = await R.PutManifestAsync(repo, tag, body, "application/vnd.oci.image.manifest.v1+json");
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using HttpResponseMessage all = await R.Http.GetAsync($"v2/{repo}/tags/list");
        Assert.Equal(["a", "b", "c", "d", "e"], Tags(await all.Content.ReadAsStringAsync()));

        using HttpResponseMessage page1 = await R.Http.GetAsync($"v2/{repo}/tags/list?n=2");
        Assert.Equal(["a", "b"], Tags(await page1.Content.ReadAsStringAsync()));
        string link = page1.Headers.GetValues("Link").Single();
        Assert.Contains("last=b", link, StringComparison.Ordinal);
        Assert.Contains("rel=\"next\"", link, StringComparison.Ordinal);

        using HttpResponseMessage page2 = await R.Http.GetAsync($"v2/{repo}/tags/list?n=2&last=b");
        Assert.Equal(["c", "d"], Tags(await page2.Content.ReadAsStringAsync()));
        using HttpResponseMessage page3 = await R.Http.GetAsync($"v2/{repo}/tags/list?n=2&last=d");
        Assert.Equal(["e"], Tags(await page3.Content.ReadAsStringAsync()));
        Assert.False(page3.Headers.Contains("Link"));
        _ = digest;
    }

    [Fact]
    public async Task TagsList_UnknownRepository_Returns404NameUnknown()
    {
        using HttpResponseMessage response = await R.Http.GetAsync("v2/conf/nothing-here/tags/list");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Catalog_Paginated_ListsRepositoriesInOrder()
    {
        string prefix = "cat" + Guid.NewGuid().ToString("N")[..6];
        foreach (string name in new[] { "b", "a", "c" })
        {
            await R.PushBlobAsync($"{prefix}/{name}", TestRegistry.RandomBytes(10));
        }

        using HttpResponseMessage all = await R.Http.GetAsync("v2/_catalog");
        string[] repos = Repositories(await all.Content.ReadAsStringAsync());
        Assert.Equal([$"{prefix}/a", $"{prefix}/b", $"{prefix}/c"], repos.Where(r => r.StartsWith(prefix, StringComparison.Ordinal)));

        using HttpResponseMessage page = await R.Http.GetAsync($"v2/_catalog?n=1&last={prefix}/a");
        Assert.Equal([$"{prefix}/b"], Repositories(await page.Content.ReadAsStringAsync()));
        Assert.Contains("rel=\"next\"", page.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Referrers_WithSubjects_ListsAndFiltersByArtifactType()
    {
        string repo = RegistryFixture.NewRepository();
        (string subject, _) = await R.PushImageAsync(repo, "app");
        (string sig, _) = await R.PushImageAsync(repo, "sig", layers: 1, subject: subject, artifactType: "application/vnd.example.signature");
        (string sbom, _) = await R.PushImageAsync(repo, "sbom", layers: 1, subject: subject, artifactType: "application/vnd.example.sbom");

        using HttpResponseMessage all = await R.Http.GetAsync($"v2/{repo}/referrers/{subject}");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("application/vnd.oci.image.index.v1+json", all.Content.Headers.ContentType!.MediaType);
        using JsonDocument doc = JsonDocument.Parse(await all.Content.ReadAsStringAsync());
        string[] digests = [.. doc.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("digest").GetString()!)];
        Assert.Equal(new[] { sig, sbom }.Order(StringComparer.Ordinal), digests.Order(StringComparer.Ordinal));

        using HttpResponseMessage filtered = await R.Http.GetAsync($"v2/{repo}/referrers/{subject}?artifactType=application/vnd.example.sbom");
        Assert.Equal("artifactType", filtered.Headers.GetValues("OCI-Filters-Applied").Single());
        using JsonDocument fdoc = JsonDocument.Parse(await filtered.Content.ReadAsStringAsync());
        JsonElement only = fdoc.RootElement.GetProperty("manifests").EnumerateArray().Single();
        Assert.Equal(sbom, only.GetProperty("digest").GetString());
        Assert.Equal("application/vnd.example.sbom", only.GetProperty("artifactType").GetString());
    }

    [Fact]
    public async Task ManifestPut_WithSubject_ReturnsOciSubjectHeader()
    {
        string repo = RegistryFixture.NewRepository();
        (string subject, _) = await R.PushImageAsync(repo, "app");
        (_, byte[] body) = await R.PushImageAsync(repo, "tmp", layers: 1, subject: subject);
        using HttpResponseMessage response = await R.PutManifestAsync(repo, "again", body, "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal(subject, response.Headers.GetValues("OCI-Subject").Single());
    }

    [Fact]
    public async Task Referrers_UnknownSubject_ReturnsEmptyIndex()
    {
        string repo = RegistryFixture.NewRepository();
        await R.PushImageAsync(repo, "app");
        using HttpResponseMessage response = await R.Http.GetAsync($"v2/{repo}/referrers/{TestRegistry.DigestOf([1, 2, 3])}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, doc.RootElement.GetProperty("manifests").GetArrayLength());
    }

    private static string[] Tags(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)];
    }

    private static string[] Repositories(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("repositories").EnumerateArray().Select(t => t.GetString()!)];
    }
}
