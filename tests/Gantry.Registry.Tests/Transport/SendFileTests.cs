using System.Net;
using Gantry.Registry.Tests.Infrastructure;
using Gantry.Registry.Transport;
using Microsoft.Extensions.Logging;

namespace Gantry.Registry.Tests.Transport;

/// <summary>
/// Blob bodies sent with sendfile(2) on plain-HTTP connections: exact bytes for every Range form, HEAD, keep-alive
/// across several responses on one connection, HTTP/1.0, and clients that hang up mid-body. Real HTTP over loopback.
/// </summary>
public sealed class SendFileTests : IAsyncLifetime
{
    // Larger than loopback's socket buffers, so sendfile has to wait for the client more than once.
    private const int BigSize = 8 * 1024 * 1024;

    private readonly ListLoggerProvider _log = new();
    private TestRegistry _registry = null!;
    private string _repo = null!;
    private byte[] _big = null!;
    private string _bigDigest = null!;

    public async Task InitializeAsync()
    {
        _registry = await TestRegistry.StartAsync(services: s => s.AddSingleton<ILoggerProvider>(_log));
        _repo = RegistryFixture.NewRepository("sendfile");
        _big = TestRegistry.RandomBytes(BigSize);
        _bigDigest = await _registry.PushBlobAsync(_repo, _big);
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private string BlobPath(string digest) => $"/v2/{_repo}/blobs/{digest}";

    private IEnumerable<string> Errors => _log.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));

    [Fact]
    public async Task BlobGet_Whole_SentWithSendFileAndExact()
    {
        long before = SocketResponseWriter.FileSegmentsSent;
        using HttpResponseMessage response = await _registry.Http.GetAsync(BlobPath(_bigDigest)[1..]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BigSize, response.Content.Headers.ContentLength);
        Assert.Equal(_bigDigest, response.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(_big, await response.Content.ReadAsByteArrayAsync());
        Assert.True(SocketResponseWriter.FileSegmentsSent > before, "the body did not go through sendfile");
    }

    [Theory]
    [InlineData("bytes=0-0", 0, 1)]
    [InlineData("bytes=1000000-1999999", 1000000, 1000000)]
    [InlineData("bytes=-500", BigSize - 500, 500)]
    [InlineData("bytes=5000000-", 5000000, BigSize - 5000000)]
    [InlineData("bytes=0-8388607", 0, BigSize)]
    [InlineData("bytes=8388607-99999999", BigSize - 1, 1)]
    public async Task BlobGet_Range_Returns206WithExactSlice(string range, int start, int length)
    {
        await using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_registry.Host.BaseAddress);
        await connection.SendAsync("GET", BlobPath(_bigDigest), headers: "Range: " + range);
        RawResponse response = await connection.ReadResponseAsync();
        Assert.Equal(206, response.Status);
        Assert.Equal($"bytes {start}-{start + length - 1}/{BigSize}", response.Headers["Content-Range"]);
        Assert.Equal(length.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers["Content-Length"]);
        Assert.True(_big.AsSpan(start, length).SequenceEqual(response.Body), "the slice differs from the blob's bytes");
    }

    [Fact]
    public async Task BlobGet_UnsatisfiableRange_Returns416AndConnectionStaysUsable()
    {
        await using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_registry.Host.BaseAddress);
        await connection.SendAsync("GET", BlobPath(_bigDigest), headers: $"Range: bytes={BigSize}-");
        RawResponse refused = await connection.ReadResponseAsync();
        Assert.Equal(416, refused.Status);
        Assert.Equal($"bytes */{BigSize}", refused.Headers["Content-Range"]);

        await connection.SendAsync("GET", BlobPath(_bigDigest), headers: "Range: bytes=10-19");
        RawResponse next = await connection.ReadResponseAsync();
        Assert.Equal(206, next.Status);
        Assert.Equal(_big.AsSpan(10, 10).ToArray(), next.Body);
    }

    [Fact]
    public async Task BlobHead_ReturnsLengthAndSendsNoBody()
    {
        await using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_registry.Host.BaseAddress);
        await connection.SendAsync("HEAD", BlobPath(_bigDigest));
        RawResponse head = await connection.ReadResponseAsync(head: true);
        Assert.Equal(200, head.Status);
        Assert.Equal(BigSize.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Headers["Content-Length"]);

        // Any body byte sent after the HEAD would be read here as the start of the next response.
        await connection.SendAsync("GET", BlobPath(_bigDigest), headers: "Range: bytes=0-3");
        RawResponse next = await connection.ReadResponseAsync();
        Assert.Equal(206, next.Status);
        Assert.Equal(_big.AsSpan(0, 4).ToArray(), next.Body);
    }

    [Fact]
    public async Task BlobGet_SeveralOnOneConnection_AllExactAndConnectionKept()
    {
        byte[] small = TestRegistry.RandomBytes(3000);
        string smallDigest = await _registry.PushBlobAsync(_repo, small);
        string emptyDigest = await _registry.PushBlobAsync(_repo, []);
        long before = SocketResponseWriter.FileSegmentsSent;

        await using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_registry.Host.BaseAddress);
        await connection.SendAsync("GET", BlobPath(_bigDigest));
        RawResponse first = await connection.ReadResponseAsync();
        await connection.SendAsync("GET", "/v2/");
        RawResponse between = await connection.ReadResponseAsync();
        await connection.SendAsync("GET", BlobPath(smallDigest));
        RawResponse second = await connection.ReadResponseAsync();
        await connection.SendAsync("GET", BlobPath(emptyDigest));
        RawResponse empty = await connection.ReadResponseAsync();
        await connection.SendAsync("GET", BlobPath(_bigDigest), headers: "Range: bytes=-3");
        RawResponse last = await connection.ReadResponseAsync();

        Assert.Equal((200, 200, 200, 200, 206), (first.Status, between.Status, second.Status, empty.Status, last.Status));
        Assert.Equal(_big, first.Body);
        Assert.Equal(small, second.Body);
        Assert.Empty(empty.Body);
        Assert.Equal(_big.AsSpan(BigSize - 3).ToArray(), last.Body);
        Assert.True(SocketResponseWriter.FileSegmentsSent >= before + 3, "the blob bodies did not go through sendfile");
        Assert.False(await connection.IsClosedByServerAsync(TimeSpan.FromMilliseconds(200)), "the server closed a keep-alive connection");
        Assert.Empty(Errors);
    }

    [Fact]
    public async Task BlobGet_Http10_ExactBodyThenServerCloses()
    {
        await using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_registry.Host.BaseAddress);
        await connection.SendAsync("GET", BlobPath(_bigDigest), version: "HTTP/1.0");
        RawResponse response = await connection.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal(_big, response.Body);
        Assert.True(await connection.IsClosedByServerAsync(TimeSpan.FromSeconds(10)), "an HTTP/1.0 connection without keep-alive stayed open");
    }

    [Fact]
    public async Task BlobGet_ClientHangsUpMidBody_ServerKeepsServingAndLogsNoError()
    {
        for (int i = 0; i < 5; i++)
        {
            RawHttpConnection dying = await RawHttpConnection.OpenAsync(_registry.Host.BaseAddress);
            await dying.SendAsync("GET", BlobPath(_bigDigest));
            Assert.True(await dying.ReadSomeAsync(64 * 1024) >= 64 * 1024);
            dying.Reset();
        }

        // A hang-up while the response is still queued, before a single byte was read.
        RawHttpConnection silent = await RawHttpConnection.OpenAsync(_registry.Host.BaseAddress);
        await silent.SendAsync("GET", BlobPath(_bigDigest));
        silent.Reset();

        using HttpResponseMessage response = await _registry.Http.GetAsync(BlobPath(_bigDigest)[1..]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_big, await response.Content.ReadAsByteArrayAsync());
        await Task.Delay(200);
        Assert.Empty(Errors);
    }

    [Fact]
    public async Task BlobGet_ConcurrentClients_EachGetsExactBytes()
    {
        Task<byte[]>[] gets = [.. Enumerable.Range(0, 8).Select(_ => _registry.Http.GetByteArrayAsync(BlobPath(_bigDigest)[1..]))];
        foreach (byte[] body in await Task.WhenAll(gets))
        {
            Assert.Equal(_big, body);
        }
    }
}
