using System.Net;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Conformance;

/// <summary>OCI distribution spec, "Content management": deleting tags, manifests and blobs.</summary>
public sealed class ContentManagementTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private TestRegistry R => fixture.Registry;

    [Fact]
    public async Task ManifestDelete_ByDigest_RemovesManifestAndItsTags()
    {
        string repo = RegistryFixture.NewRepository();
        (string digest, _) = await R.PushImageAsync(repo, "v1");
        using (await R.Http.GetAsync($"v2/{repo}/manifests/v1"))
        {
        }

        using HttpResponseMessage delete = await R.Http.DeleteAsync($"v2/{repo}/manifests/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        using HttpResponseMessage byDigest = await R.Http.GetAsync($"v2/{repo}/manifests/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, byDigest.StatusCode);
        using HttpResponseMessage byTag = await R.Http.GetAsync($"v2/{repo}/manifests/v1");
        Assert.Equal(HttpStatusCode.NotFound, byTag.StatusCode);
    }

    [Fact]
    public async Task ManifestDelete_ByTag_RemovesOnlyTheTag()
    {
        string repo = RegistryFixture.NewRepository();
        (string digest, _) = await R.PushImageAsync(repo, "v1");
        using (HttpResponseMessage warm = await R.Http.GetAsync($"v2/{repo}/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode); // now cached: the delete must evict it
        }

        using HttpResponseMessage delete = await R.Http.DeleteAsync($"v2/{repo}/manifests/v1");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        using HttpResponseMessage byTag = await R.Http.GetAsync($"v2/{repo}/manifests/v1");
        Assert.Equal(HttpStatusCode.NotFound, byTag.StatusCode);
        using HttpResponseMessage byDigest = await R.Http.GetAsync($"v2/{repo}/manifests/{digest}");
        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
    }

    [Fact]
    public async Task ManifestDelete_Unknown_Returns404ManifestUnknown()
    {
        string repo = RegistryFixture.NewRepository();
        await R.PushImageAsync(repo, "v1");
        using HttpResponseMessage response = await R.Http.DeleteAsync($"v2/{repo}/manifests/{TestRegistry.DigestOf([9])}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await TestRegistry.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task BlobDelete_Existing_Returns202ThenBlobUnknown()
    {
        string repo = RegistryFixture.NewRepository();
        string digest = await R.PushBlobAsync(repo, TestRegistry.RandomBytes(100));
        using HttpResponseMessage delete = await R.Http.DeleteAsync($"v2/{repo}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        using HttpResponseMessage get = await R.Http.GetAsync($"v2/{repo}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(get));
    }

    [Fact]
    public async Task Method_NotSupportedOnResource_Returns405Unsupported()
    {
        string repo = RegistryFixture.NewRepository();
        using HttpResponseMessage response = await R.Http.PostAsync($"v2/{repo}/tags/list", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("UNSUPPORTED", await TestRegistry.ErrorCodeAsync(response));
    }
}
