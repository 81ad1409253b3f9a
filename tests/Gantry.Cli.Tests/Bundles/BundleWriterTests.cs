using Gantry.Cli.Bundles;
using Gantry.Cli.Tests.Support;

namespace Gantry.Cli.Tests.Bundles;

public sealed class BundleWriterTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    private async Task<Dictionary<string, string?>> BundleAsync(IgnoreRules? rules = null)
    {
        var entries = BundleWriter.List(_h.WorkingDirectory, rules ?? IgnoreRules.Load(_h.WorkingDirectory));
        using var buffer = new MemoryStream();
        await BundleWriter.WriteAsync(buffer, entries, CancellationToken.None);
        return BundleContents.Read(buffer.ToArray());
    }

    [Fact]
    public async Task WriteAsync_ProjectWithBuildOutput_ExcludesGitBinObjAndNodeModulesAtAnyDepth()
    {
        _h.WriteFile("compose.yaml", "services: {}");
        _h.WriteFile(".git/HEAD", "ref");
        _h.WriteFile("bin/app.dll", "x");
        _h.WriteFile("obj/project.assets.json", "x");
        _h.WriteFile("web/node_modules/left-pad/index.js", "x");
        _h.WriteFile("api/bin/Debug/api.dll", "x");
        _h.WriteFile("api/Program.cs", "class P {}");

        var contents = await BundleAsync();

        Assert.Equal(["api", "api/Program.cs", "compose.yaml", "web"], contents.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_FilesInSubdirectories_KeepsContentAndSlashRelativePaths()
    {
        _h.WriteFile("compose.yaml", "services:\n  web:\n    image: busybox\n");
        _h.WriteFile("web/Dockerfile", "FROM gantry/busybox:latest\n");
        _h.WriteFile("web/static/index.html", "<h1>hi</h1>");

        var contents = await BundleAsync();

        Assert.Equal("services:\n  web:\n    image: busybox\n", contents["compose.yaml"]);
        Assert.Equal("FROM gantry/busybox:latest\n", contents["web/Dockerfile"]);
        Assert.Equal("<h1>hi</h1>", contents["web/static/index.html"]);
        Assert.All(contents.Keys, k => Assert.DoesNotContain('\\', k));
        Assert.All(contents.Keys, k => Assert.False(Path.IsPathRooted(k)));
    }

    [Fact]
    public async Task WriteAsync_GantryIgnore_AppliesGlobsAnchorsDirectoriesAndNegation()
    {
        _h.WriteFile("compose.yaml", "services: {}");
        _h.WriteFile(".gantryignore", "# comment\n*.log\n/secret.txt\ndata/\n!keep.log\n");
        _h.WriteFile("app.log", "x");
        _h.WriteFile("deep/trace.log", "x");
        _h.WriteFile("keep.log", "kept");
        _h.WriteFile("secret.txt", "x");
        _h.WriteFile("sub/secret.txt", "not anchored here");
        _h.WriteFile("data/big.bin", "x");
        _h.WriteFile("sub/data/other.bin", "x");

        var contents = await BundleAsync();

        Assert.Equal([".gantryignore", "compose.yaml", "deep", "keep.log", "sub", "sub/secret.txt"], contents.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void IgnoreRules_DoubleStar_MatchesAnyDepth()
    {
        var rules = IgnoreRules.Parse(["docs/**/*.png", "**/tmp"]);

        Assert.True(rules.IsIgnored("docs/a/b/c.png", false));
        Assert.True(rules.IsIgnored("docs/c.png", false));
        Assert.False(rules.IsIgnored("img/c.png", false));
        Assert.True(rules.IsIgnored("x/y/tmp", true));
    }

    [Fact]
    public void EnsureWithinLimit_OverLimit_RefusesNamingTheLargestFiles()
    {
        _h.WriteFile("compose.yaml", "services: {}");
        _h.WriteFile("video.mp4", new string('x', 4000));
        var entries = BundleWriter.List(_h.WorkingDirectory, IgnoreRules.Default);

        var ex = Assert.Throws<CliException>(() => BundleWriter.EnsureWithinLimit(entries, maxBytes: 1024));

        Assert.Equal(ExitCodes.InvalidInput, ex.ExitCode);
        Assert.Contains("over the 1 KiB limit", ex.Message, StringComparison.Ordinal);
        Assert.Contains("video.mp4", ex.Message, StringComparison.Ordinal);
        Assert.Contains(".gantryignore", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SeveralFiles_RootIsFirstFilesDirectoryAndPathsAreRelative()
    {
        _h.WriteFile("deploy/compose.yaml", "services: {}");
        _h.WriteFile("deploy/overrides/prod.yaml", "services: {}");

        var root = BundleRoot.Resolve(["deploy/compose.yaml", "deploy/overrides/prod.yaml"], _h.WorkingDirectory);

        Assert.Equal(Path.Combine(_h.WorkingDirectory, "deploy"), root.Root);
        Assert.Equal(["compose.yaml", "overrides/prod.yaml"], root.Files);
    }

    [Fact]
    public void Resolve_FileOutsideRoot_ThrowsInvalidInputNamingTheFile()
    {
        _h.WriteFile("deploy/compose.yaml", "services: {}");
        _h.WriteFile("other.yaml", "services: {}");

        var ex = Assert.Throws<CliException>(() => BundleRoot.Resolve(["deploy/compose.yaml", "other.yaml"], _h.WorkingDirectory));

        Assert.Equal(ExitCodes.InvalidInput, ex.ExitCode);
        Assert.Contains("other.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("outside the bundle root", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MissingFile_ThrowsInvalidInput()
    {
        var ex = Assert.Throws<CliException>(() => BundleRoot.Resolve(["nope.yaml"], _h.WorkingDirectory));

        Assert.Equal(ExitCodes.InvalidInput, ex.ExitCode);
        Assert.Contains("nope.yaml: no such compose file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_SymbolicLinkToOutside_StoresTheLinkNotTheTarget()
    {
        _h.WriteFile("compose.yaml", "services: {}");
        var outside = Path.Combine(_h.Root, "outside-secret.txt");
        File.WriteAllText(outside, "secret");
        File.CreateSymbolicLink(Path.Combine(_h.WorkingDirectory, "link.txt"), outside);
        var entries = BundleWriter.List(_h.WorkingDirectory, IgnoreRules.Default);
        using var buffer = new MemoryStream();

        await BundleWriter.WriteAsync(buffer, entries, CancellationToken.None);

        buffer.Position = 0;
        using var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new System.Formats.Tar.TarReader(gzip);
        System.Formats.Tar.TarEntry? link = null;
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name == "link.txt")
            {
                link = entry;
            }
        }
        Assert.NotNull(link);
        Assert.Equal(System.Formats.Tar.TarEntryType.SymbolicLink, link.EntryType);
        Assert.Equal(outside, link.LinkName);
    }
}
