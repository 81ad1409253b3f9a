using System.Net;
using System.Net.Http.Headers;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Conformance;

/// <summary>OCI distribution spec, "Pull" category.</summary>
public sealed class PullTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private TestRegistry R => fixture.Registry;

    [Fact]
    public async Task Base_Get_ReturnsOkWithApiVersionHeader()
    {
        using HttpResponseMessage response = await R.Http.GetAsync("v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Fact]
    public async Task ManifestGet_ByTag_ReturnsBodyAndHeaders()
    {
        string repo = RegistryFixture.NewRepository();
        (string digest, byte[] body) = await R.PushImageAsync(repo, "v1");
        using HttpResponseMessage response = await R.Http.GetAsync($"v2/{repo}/manifests/v1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{digest}\"", response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task ManifestHead_ByDigest_ReturnsHeadersWithoutBody()
    {
        string repo = RegistryFixture.NewRepository();
        (string digest, byte[] body) = await R.PushImageAsync(repo, "v1");
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repo}/manifests/{digest}");
        using HttpResponseMessage response = await R.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ManifestGet_UnknownTag_Returns404ManifestUnknown()
    {
        string repo = RegistryFixture.NewRepository();
        await R.PushImageAsync(repo, "v1");
        using HttpResponseMessage response = await R.Http.GetAsync($"v2/{repo}/manifests/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task ManifestGet_UnknownRepository_Returns404NameUnknown()
    {
        using HttpResponseMessage response = await R.Http.GetAsync("v2/conf/never-pushed/manifests/latest");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await TestRegistry.ErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("v2/Upper/manifests/latest", "NAME_INVALID")]
    [InlineData("v2/a--/manifests/latest", "NAME_INVALID")]
    [InlineData("v2/conf/ok/manifests/-bad", "TAG_INVALID")]
    [InlineData("v2/conf/ok/blobs/sha256:1234", "DIGEST_INVALID")]
    [InlineData("v2/conf/ok/manifests/md5:abcd", "DIGEST_INVALID")]
    public async Task Get_InvalidReference_Returns400WithCode(string path, string code)
    {
        using HttpResponseMessage response = await R.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task BlobGet_Existing_ReturnsContentAndDigest()
    {
        string repo = RegistryFixture.NewRepository();
        byte[] content = TestRegistry.RandomBytes(70_000);
        string digest = await R.PushBlobAsync(repo, content);
        using HttpResponseMessage response = await R.Http.GetAsync($"v2/{repo}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [Fact]
    public async Task BlobHead_Existing_ReturnsLengthAndDigest()
    {
        string repo = RegistryFixture.NewRepository();
        byte[] content = TestRegistry.RandomBytes(5000);
        string digest = await R.PushBlobAsync(repo, content);
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repo}/blobs/{digest}");
        using HttpResponseMessage response = await R.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5000, response.Content.Headers.ContentLength);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [Fact]
    public async Task BlobGet_Range_Returns206WithSlice()
    {
        string repo = RegistryFixture.NewRepository();
        byte[] content = TestRegistry.RandomBytes(10_000);
        string digest = await R.PushBlobAsync(repo, content);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repo}/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue(100, 199);
        using HttpResponseMessage response = await R.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content[100..200], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes 100-199/10000", response.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task BlobGet_UnsatisfiableRange_Returns416()
    {
        string repo = RegistryFixture.NewRepository();
        string digest = await R.PushBlobAsync(repo, TestRegistry.RandomBytes(100));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repo}/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue(500, 600);
        using HttpResponseMessage response = await R.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
    }

    [Fact]
    public async Task BlobGet_NotInRepository_Returns404BlobUnknown()
    {
        string repoA = RegistryFixture.NewRepository();
        string repoB = RegistryFixture.NewRepository();
        string digest = await R.PushBlobAsync(repoA, TestRegistry.RandomBytes(100));
        await R.PushBlobAsync(repoB, TestRegistry.RandomBytes(10));
        using HttpResponseMessage response = await R.Http.GetAsync($"v2/{repoB}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(response));
    }
}
