using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Conformance;

/// <summary>OCI distribution spec, "Push" category: monolithic, session, chunked and streamed uploads, mounts, manifests.</summary>
public sealed class PushTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private TestRegistry R => fixture.Registry;

    private static ByteArrayContent Octets(byte[] data, string? contentRange = null)
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (contentRange is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        }

        return content;
    }

    private async Task<string> StartSessionAsync(string repo)
    {
        using HttpResponseMessage response = await R.Http.PostAsync($"v2/{repo}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull(response.Headers.GetValues("Docker-Upload-UUID").Single());
        return response.Headers.Location!.OriginalString;
    }

    [Fact]
    public async Task MonolithicPost_WithDigest_Returns201AndStoresBlob()
    {
        string repo = RegistryFixture.NewRepository();
        byte[] data = TestRegistry.RandomBytes(3000);
        string digest = TestRegistry.DigestOf(data);
        using HttpResponseMessage response = await R.Http.PostAsync($"v2/{repo}/blobs/uploads/?digest={digest}", Octets(data));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v2/{repo}/blobs/{digest}", response.Headers.Location!.OriginalString);
        Assert.Equal(data, await File.ReadAllBytesAsync(R.BlobPath(digest)));
    }

    [Fact]
    public async Task MonolithicPost_Sha512Digest_IsVerifiedAndServed()
    {
        string repo = RegistryFixture.NewRepository();
        byte[] data = TestRegistry.RandomBytes(2048);
        string digest = "sha512:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(data));
        using HttpResponseMessage response = await R.Http.PostAsync($"v2/{repo}/blobs/uploads/?digest={digest}", Octets(data));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using HttpResponseMessage get = await R.Http.GetAsync($"v2/{repo}/blobs/{digest}");
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());

        string wrong = "sha512:" + new string('0', 128);
        using HttpResponseMessage bad = await R.Http.PostAsync($"v2/{repo}/blobs/uploads/?digest={wrong}", Octets(data));
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(bad));
    }

    [Fact]
    public async Task SessionPut_WithWholeBody_Returns201()
    {
        string repo = RegistryFixture.NewRepository();
        byte[] data = TestRegistry.RandomBytes(4096);
        string location = await StartSessionAsync(repo);
        using HttpResponseMessage response = await R.Http.PutAsync($"{location}?digest={TestRegistry.DigestOf(data)}", Octets(data));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ChunkedPatch_WithContentRange_ReportsRangeAndCompletes()
    {
        string repo = RegistryFixture.NewRepository();
        byte[] data = TestRegistry.RandomBytes(300_000);
        string location = await StartSessionAsync(repo);
        int offset = 0;
        foreach (int size in new[] { 100_000, 150_000, 50_000 })
        {
            using HttpResponseMessage patch = await R.Http.PatchAsync(location, Octets(data[offset..(offset + size)], $"{offset}-{offset + size - 1}"));
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            offset += size;
            Assert.Equal($"0-{offset - 1}", patch.Headers.GetValues("Range").Single());
            location = patch.Headers.Location!.OriginalString;
        }

        using HttpResponseMessage status = await R.Http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal($"0-{data.Length - 1}", status.Headers.GetValues("Range").Single());

        string digest = TestRegistry.DigestOf(data);
        using HttpResponseMessage put = await R.Http.PutAsync($"{location}?digest={digest}", null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using HttpResponseMessage get = await R.Http.GetAsync($"v2/{repo}/blobs/{digest}");
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task StreamedPatch_WithoutContentRange_AcceptsChunkedBody()
    {
        string repo = RegistryFixture.NewRepository();
        byte[] data = TestRegistry.RandomBytes(200_000);
        string location = await StartSessionAsync(repo);
        // StreamContent without a length goes out with Transfer-Encoding: chunked, as docker sends layers.
        using var stream = new StreamContent(new MemoryStream(data));
        using HttpResponseMessage patch = await R.Http.PatchAsync(location, stream);
        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        using HttpResponseMessage put = await R.Http.PutAsync($"{patch.Headers.Location!.OriginalString}?digest={TestRegistry.DigestOf(data)}", null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    [Fact]
    public async Task ChunkedPatch_OutOfOrder_Returns416RangeInvalid()
    {
        string repo = RegistryFixture.NewRepository();
        string location = await StartSessionAsync(repo);
        using HttpResponseMessage first = await R.Http.PatchAsync(location, Octets(new byte[10], "0-9"));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        using HttpResponseMessage gap = await R.Http.PatchAsync(location, Octets(new byte[10], "20-29"));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, gap.StatusCode);
        Assert.Equal("RANGE_INVALID", await TestRegistry.ErrorCodeAsync(gap));
        Assert.Equal("0-9", gap.Headers.GetValues("Range").Single());
    }

    [Fact]
    public async Task Mount_FromRepositoryHoldingBlob_Returns201()
    {
        string source = RegistryFixture.NewRepository();
        string target = RegistryFixture.NewRepository();
        string digest = await R.PushBlobAsync(source, TestRegistry.RandomBytes(500));
        using HttpResponseMessage response = await R.Http.PostAsync($"v2/{target}/blobs/uploads/?mount={digest}&from={source}", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        using HttpResponseMessage get = await R.Http.GetAsync($"v2/{target}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task Mount_FromRepositoryWithoutBlob_FallsBackTo202Session()
    {
        string target = RegistryFixture.NewRepository();
        string digest = TestRegistry.DigestOf(TestRegistry.RandomBytes(10));
        using HttpResponseMessage response = await R.Http.PostAsync($"v2/{target}/blobs/uploads/?mount={digest}&from=conf/elsewhere", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("/blobs/uploads/", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManifestPut_MissingBlob_Returns400ManifestBlobUnknown()
    {
        string repo = RegistryFixture.NewRepository();
        string missing = TestRegistry.DigestOf(Encoding.UTF8.GetBytes("never pushed"));
        byte[] manifest = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{missing}\",\"size\":12}},\"layers\":[]}}");
        using HttpResponseMessage response = await R.PutManifestAsync(repo, "v1", manifest, "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task ManifestPut_ByDigest_ReturnsLocationAndDigest()
    {
        string repo = RegistryFixture.NewRepository();
        (_, byte[] body) = await R.PushImageAsync(repo, "seed");
        string digest = TestRegistry.DigestOf(body);
        using HttpResponseMessage response = await R.PutManifestAsync(repo, digest, body, "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal($"/v2/{repo}/manifests/{digest}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ManifestPut_DigestMismatch_Returns400DigestInvalid()
    {
        string repo = RegistryFixture.NewRepository();
        (_, byte[] body) = await R.PushImageAsync(repo, "seed");
        string wrong = TestRegistry.DigestOf(Encoding.UTF8.GetBytes("other"));
        using HttpResponseMessage response = await R.PutManifestAsync(repo, wrong, body, "application/vnd.oci.image.manifest.v1+json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task ManifestPut_Schema1_Returns400WithClearMessage()
    {
        string repo = RegistryFixture.NewRepository();
        byte[] body = Encoding.UTF8.GetBytes("{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"v1\",\"fsLayers\":[]}");
        using HttpResponseMessage response = await R.PutManifestAsync(repo, "v1", body, "application/vnd.docker.distribution.manifest.v1+prettyjws");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Contains("MANIFEST_INVALID", text, StringComparison.Ordinal);
        Assert.Contains("schema 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManifestPut_DockerManifestList_RequiresChildrenAndStores()
    {
        string repo = RegistryFixture.NewRepository();
        (string child, byte[] childBody) = await R.PushImageAsync(repo, "amd64");
        string missingChild = TestRegistry.DigestOf(Encoding.UTF8.GetBytes("absent"));
        string Index(string d) => $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\",\"manifests\":[{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"{d}\",\"size\":{childBody.Length},\"platform\":{{\"architecture\":\"amd64\",\"os\":\"linux\"}}}}]}}";

        using HttpResponseMessage bad = await R.PutManifestAsync(repo, "multi", Encoding.UTF8.GetBytes(Index(missingChild)), "application/vnd.docker.distribution.manifest.list.v2+json");
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(bad));

        using HttpResponseMessage good = await R.PutManifestAsync(repo, "multi", Encoding.UTF8.GetBytes(Index(child)), "application/vnd.docker.distribution.manifest.list.v2+json");
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
        using HttpResponseMessage get = await R.Http.GetAsync($"v2/{repo}/manifests/multi");
        Assert.Equal("application/vnd.docker.distribution.manifest.list.v2+json", get.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ManifestPut_TagMoves_GetReturnsNewManifest()
    {
        string repo = RegistryFixture.NewRepository();
        (string first, _) = await R.PushImageAsync(repo, "latest");
        using (HttpResponseMessage warm = await R.Http.GetAsync($"v2/{repo}/manifests/latest"))
        {
            Assert.Equal(first, warm.Headers.GetValues("Docker-Content-Digest").Single());
        }

        (string second, _) = await R.PushImageAsync(repo, "latest");
        using HttpResponseMessage after = await R.Http.GetAsync($"v2/{repo}/manifests/latest");
        Assert.Equal(second, after.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [Fact]
    public async Task UploadDelete_CancelsSession_ThenStatusIs404()
    {
        string repo = RegistryFixture.NewRepository();
        string location = await StartSessionAsync(repo);
        using HttpResponseMessage cancel = await R.Http.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        using HttpResponseMessage status = await R.Http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await TestRegistry.ErrorCodeAsync(status));
    }
}
