using System.Net;
using System.Net.Http.Headers;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Storage;

/// <summary>Interrupted, corrupt and concurrent uploads: the right OCI errors, resumable sessions, nothing corrupt stored.</summary>
public sealed class UploadRobustnessTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
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

    private static async Task<string> StartAsync(HttpClient http, string repo)
    {
        using HttpResponseMessage response = await http.PostAsync($"v2/{repo}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    private static async Task<long> OffsetAsync(HttpClient http, string location)
    {
        using HttpResponseMessage status = await http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        string range = status.Headers.GetValues("Range").Single();
        long end = long.Parse(range[(range.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return end == 0 ? 0 : end + 1;
    }

    [Fact]
    public async Task InterruptedChunk_ResumedAfterRestart_CompletesWithCorrectContent()
    {
        string root = Path.Combine(Path.GetTempPath(), "gdr-resume-" + Guid.NewGuid().ToString("N")[..8]);
        string repo = RegistryFixture.NewRepository();
        byte[] data = TestRegistry.RandomBytes(400_000);
        string location;
        long offset;
        await using (TestRegistry first = await TestRegistry.StartAsync(root: root))
        {
            first.KeepRoot = true;
            location = await StartAsync(first.Http, repo);
            using HttpResponseMessage chunk1 = await first.Http.PatchAsync(location, Octets(data[..100_000], "0-99999"));
            Assert.Equal(HttpStatusCode.Accepted, chunk1.StatusCode);

            // The second chunk dies after 150 000 of its 300 000 bytes.
            await RawHttp.SendTruncatedAsync(first.Host.BaseAddress, "PATCH", location, 300_000, data[100_000..250_000], "100000-399999");
            offset = await WaitForStableOffsetAsync(first.Http, location);
            // Every byte that arrived is kept (README: a body that ends early keeps the bytes that arrived).
            Assert.Equal(250_000, offset);
        }

        // A new process on the same storage finds the session, its offset, and rehashes the stored prefix.
        await using TestRegistry second = await TestRegistry.StartAsync(root: root);
        Assert.Equal(offset, await OffsetAsync(second.Http, location));
        using HttpResponseMessage rest = await second.Http.PatchAsync(location, Octets(data[(int)offset..], $"{offset}-{data.Length - 1}"));
        Assert.Equal(HttpStatusCode.Accepted, rest.StatusCode);
        string digest = TestRegistry.DigestOf(data);
        using HttpResponseMessage put = await second.Http.PutAsync($"{location}?digest={digest}", null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(data, await File.ReadAllBytesAsync(second.BlobPath(digest)));
    }

    [Fact]
    public async Task Patch_TruncatedChunkedBody_KeepsEveryByteThatArrivedAndResumes()
    {
        string repo = RegistryFixture.NewRepository();
        byte[] data = TestRegistry.RandomBytes(300_000);
        string location = await StartAsync(R.Http, repo);

        // Docker's streamed PATCH: chunked, no Content-Range. Three whole chunks, then 20 000 of a 50 000-byte chunk.
        await RawHttp.SendTruncatedChunkedAsync(R.Host.BaseAddress, "PATCH", location,
            [data[..50_000], data[50_000..100_000], data[100_000..150_000]], 50_000, data[150_000..170_000]);
        long offset = await WaitForStableOffsetAsync(R.Http, location);
        Assert.Equal(170_000, offset);

        using HttpResponseMessage rest = await R.Http.PatchAsync(location, Octets(data[170_000..], $"170000-{data.Length - 1}"));
        Assert.Equal(HttpStatusCode.Accepted, rest.StatusCode);
        string digest = TestRegistry.DigestOf(data);
        using HttpResponseMessage put = await R.Http.PutAsync($"{location}?digest={digest}", null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(data, await File.ReadAllBytesAsync(R.BlobPath(digest)));
    }

    private static async Task<long> WaitForStableOffsetAsync(HttpClient http, string location)
    {
        long previous = -1;
        for (int i = 0; i < 50; i++)
        {
            long current = await OffsetAsync(http, location);
            if (current == previous)
            {
                return current;
            }

            previous = current;
            await Task.Delay(100);
        }

        return previous;
    }

    [Fact]
    public async Task MonolithicPost_TruncatedBody_StoresNothing()
    {
        string repo = RegistryFixture.NewRepository();
        byte[] data = TestRegistry.RandomBytes(200_000);
        string digest = TestRegistry.DigestOf(data);
        await RawHttp.SendTruncatedAsync(R.Host.BaseAddress, "POST", $"/v2/{repo}/blobs/uploads/?digest={digest}", data.Length, data[..120_000]);
        await Task.Delay(500);
        Assert.False(File.Exists(R.BlobPath(digest)));
        using HttpResponseMessage head = await R.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repo}/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Put_WrongDigest_Returns400AndStoresNothing()
    {
        string repo = RegistryFixture.NewRepository();
        byte[] data = TestRegistry.RandomBytes(5000);
        string claimed = TestRegistry.DigestOf(TestRegistry.RandomBytes(10));
        string location = await StartAsync(R.Http, repo);
        using HttpResponseMessage put = await R.Http.PutAsync($"{location}?digest={claimed}", Octets(data));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(put));
        Assert.False(File.Exists(R.BlobPath(claimed)));
        Assert.False(File.Exists(R.BlobPath(TestRegistry.DigestOf(data))));
    }

    [Fact]
    public async Task Put_MissingDigest_Returns400DigestInvalid()
    {
        string repo = RegistryFixture.NewRepository();
        string location = await StartAsync(R.Http, repo);
        using HttpResponseMessage put = await R.Http.PutAsync(location, Octets([1, 2, 3]));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(put));
    }

    [Theory]
    [InlineData("garbage", 416, "RANGE_INVALID")]
    [InlineData("5-9", 416, "RANGE_INVALID")]
    [InlineData("0-99", 400, "SIZE_INVALID")]
    public async Task Patch_BadContentRange_ReturnsOciError(string range, int status, string code)
    {
        string repo = RegistryFixture.NewRepository();
        string location = await StartAsync(R.Http, repo);
        using HttpResponseMessage patch = await R.Http.PatchAsync(location, Octets(new byte[10], range));
        Assert.Equal(status, (int)patch.StatusCode);
        Assert.Equal(code, await TestRegistry.ErrorCodeAsync(patch));
        Assert.Equal(0, await OffsetAsync(R.Http, location));
    }

    [Fact]
    public async Task Patch_UnknownSession_Returns404UploadUnknown()
    {
        string repo = RegistryFixture.NewRepository();
        using HttpResponseMessage patch = await R.Http.PatchAsync($"v2/{repo}/blobs/uploads/{Guid.NewGuid()}", Octets([1]));
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await TestRegistry.ErrorCodeAsync(patch));
    }

    [Fact]
    public async Task ConcurrentPushes_SameBlob_AllSucceedWithIntactContent()
    {
        byte[] data = TestRegistry.RandomBytes(2_000_000);
        string digest = TestRegistry.DigestOf(data);
        var pushes = Enumerable.Range(0, 12).Select(async i =>
        {
            string repo = $"conf/same-blob-{i % 3}";
            if (i % 2 == 0)
            {
                using HttpResponseMessage r = await R.Http.PostAsync($"v2/{repo}/blobs/uploads/?digest={digest}", Octets(data));
                return r.StatusCode;
            }

            string location = await StartAsync(R.Http, repo);
            using HttpResponseMessage patch = await R.Http.PatchAsync(location, Octets(data[..1_000_000], "0-999999"));
            using HttpResponseMessage put = await R.Http.PutAsync($"{patch.Headers.Location!.OriginalString}?digest={digest}", Octets(data[1_000_000..], $"1000000-{data.Length - 1}"));
            return put.StatusCode;
        }).ToList();

        HttpStatusCode[] results = await Task.WhenAll(pushes);
        Assert.All(results, s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(data, await File.ReadAllBytesAsync(R.BlobPath(digest)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(R.Root, "uploads", "_tmp")));
    }
}
