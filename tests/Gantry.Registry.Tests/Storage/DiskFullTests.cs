using System.Net;
using System.Net.Http.Headers;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Storage;

/// <summary>A registry on a tiny tmpfs: a push that does not fit gets a clean 507 and leaves no partial blob.</summary>
public sealed class DiskFullTests : IAsyncLifetime
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), "gdr-tmpfs-" + Guid.NewGuid().ToString("N")[..8]);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_mount);
        await ProcessRunner.MustAsync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", _mount]);
    }

    public async Task DisposeAsync()
    {
        await ProcessRunner.RunAsync("umount", [_mount]);
        Directory.Delete(_mount, recursive: true);
    }

    [Fact]
    public async Task Push_LargerThanFreeSpace_Returns507AndStoresNothing()
    {
        await using TestRegistry registry = await TestRegistry.StartAsync(root: Path.Combine(_mount, "root"));
        byte[] big = TestRegistry.RandomBytes(5_000_000);
        string digest = TestRegistry.DigestOf(big);
        using var content = new ByteArrayContent(big);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage response = await registry.Http.PostAsync($"v2/conf/full/blobs/uploads/?digest={digest}", content);
        Assert.Equal((HttpStatusCode)507, response.StatusCode);
        Assert.Contains("storage is full", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(registry.BlobPath(digest)));

        // The space came back: a small push works right after.
        string small = await registry.PushBlobAsync("conf/full", TestRegistry.RandomBytes(1000));
        Assert.True(File.Exists(registry.BlobPath(small)));
    }
}
