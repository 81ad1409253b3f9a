using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Server.Bundles;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using static Gantry.Server.Tests.Bundles.TarStreams;

namespace Gantry.Server.Tests.Bundles;

/// <summary>Content-addressed bundles: dry runs leave nothing, the same project maps to one directory, unreferenced bundles are collected.</summary>
public sealed class BundleStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private SqliteResourceStore _store = null!;
    private BundleStore _bundles = null!;

    private string Root => _temp.Combine("bundles");

    public async Task InitializeAsync()
    {
        _store = await SqliteResourceStore.OpenAsync(new SqliteStoreOptions { Path = _temp.Combine("store.db") }, TimeProvider.System);
        _bundles = new BundleStore(Root, new BundleLimits(), 1L << 30, _store, NullLogger<BundleStore>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _temp.Dispose();
    }

    private static MemoryStream Project(string marker) => Gzip(Text("compose.yaml", "services: {}\n"), Text("marker.txt", marker));

    private string[] Listing() => Directory.Exists(Root) ? Directory.GetFileSystemEntries(Root).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray()! : [];

    [Fact]
    public async Task ExtractAsync_DryRun_NothingLeftOnceReleased()
    {
        var lease = await _bundles.ExtractAsync(Project("dry"), temporary: true, CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(lease.Directory, "marker.txt")));
        Directory.CreateDirectory(Path.Combine(BundleStore.InlineDirectoryOf(lease.Directory), "configs"));

        await lease.DisposeAsync();

        Assert.Empty(Listing());
    }

    [Fact]
    public async Task ExtractAsync_RefusedUpload_NothingLeft()
    {
        await Assert.ThrowsAsync<BundleException>(() => _bundles.ExtractAsync(Gzip(Text("ok.txt", "x"), Link("up", "..")), temporary: false, CancellationToken.None));

        Assert.Empty(Listing());
    }

    [Fact]
    public async Task ExtractAsync_SameProjectTwice_SameDirectory()
    {
        await using var first = await _bundles.ExtractAsync(Project("same"), temporary: false, CancellationToken.None);
        await using var second = await _bundles.ExtractAsync(Gzip(Text("marker.txt", "same"), Text("compose.yaml", "services: {}\n")), temporary: false, CancellationToken.None);

        Assert.Equal(first.Directory, second.Directory);
        Assert.Equal(Path.Combine(Root, first.Digest), first.Directory);
        Assert.Equal([first.Digest], Listing());
    }

    [Fact]
    public async Task CollectAsync_UnreferencedBundle_RemovedWithItsInlineFiles()
    {
        string directory;
        await using (var lease = await _bundles.ExtractAsync(Project("old"), temporary: false, CancellationToken.None))
        {
            directory = lease.Directory;
            Directory.CreateDirectory(Path.Combine(BundleStore.InlineDirectoryOf(directory), "secrets"));
            File.WriteAllText(Path.Combine(BundleStore.InlineDirectoryOf(directory), "secrets", "s"), "12345");
        }

        var freed = await _bundles.CollectAsync(CancellationToken.None);

        Assert.Empty(Listing());
        Assert.Equal("services: {}\n".Length + "old".Length + 5, freed);
    }

    [Fact]
    public async Task CollectAsync_ReferencedByAKeptReleaseOrAnApp_Kept()
    {
        var (released, live, orphan) = (await ExtractAsync("released"), await ExtractAsync("live"), await ExtractAsync("orphan"));
        await _store.CreateAsync(ReleaseBook.Kind, "web.1", $$$"""{"app":"web","number":1,"spec":{"name":"web","services":[{"name":"api","build":{"context":"{{{released}}}/src"}}]}}""");
        await _store.CreateAsync(AppKinds.App, "web", $$$"""{"name":"web","secrets":[{"name":"s","file":"{{{live}}}/secret.txt"}]}""");

        await _bundles.CollectAsync(CancellationToken.None);

        Assert.True(Directory.Exists(released));
        Assert.True(Directory.Exists(live));
        Assert.False(Directory.Exists(orphan));
    }

    [Fact]
    public async Task CollectAsync_BundleOfADeployInFlight_Kept()
    {
        await using var lease = await _bundles.ExtractAsync(Project("in flight"), temporary: false, CancellationToken.None);
        await using var dryRun = await _bundles.ExtractAsync(Project("dry run in flight"), temporary: true, CancellationToken.None);

        await _bundles.CollectAsync(CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(lease.Directory, "marker.txt")));
        Assert.True(File.Exists(Path.Combine(dryRun.Directory, "marker.txt")));
    }

    [Fact]
    public async Task CollectAsync_LeftoversOfEarlierRuns_RemovedAndForeignNamesKept()
    {
        Directory.CreateDirectory(Path.Combine(Root, "staging-0123456789abcdef", "sub"));
        File.WriteAllText(Path.Combine(Root, "upload-0123.tar.gz"), "partial");
        Directory.CreateDirectory(Path.Combine(Root, new string('a', 64)));
        Directory.CreateDirectory(Path.Combine(Root, "lost+found"));

        await _bundles.CollectAsync(CancellationToken.None);

        Assert.Equal(["lost+found"], Listing());
    }

    [Fact]
    public async Task UsageAsync_BundlesAndReclaimableBytes()
    {
        var kept = await ExtractAsync("kept");
        await ExtractAsync("gone");
        await _store.CreateAsync(AppKinds.App, "web", $$$"""{"name":"web","services":[{"name":"api","build":{"context":"{{{kept}}}"}}]}""");

        var usage = await _bundles.UsageAsync(CancellationToken.None);

        var size = "services: {}\n".Length;
        Assert.Equal(new BundleUsage(2, 2 * size + "kept".Length + "gone".Length, 1, size + "gone".Length), usage);
    }

    private async Task<string> ExtractAsync(string marker)
    {
        await using var lease = await _bundles.ExtractAsync(Project(marker), temporary: false, CancellationToken.None);
        return lease.Directory;
    }
}
