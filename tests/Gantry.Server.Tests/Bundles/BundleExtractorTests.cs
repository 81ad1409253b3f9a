using System.Formats.Tar;
using Gantry.Server.Bundles;
using static Gantry.Server.Tests.Bundles.TarStreams;

namespace Gantry.Server.Tests.Bundles;

/// <summary>Issue 15, finding 1 and 4: every entry that could write or point outside a bundle, and every unbounded upload, is refused.</summary>
public sealed class BundleExtractorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Staging => _temp.Combine("bundles", "staging");

    public void Dispose() => _temp.Dispose();

    private async Task<string> ExtractAsync(Stream upload, BundleLimits? limits = null)
    {
        Directory.CreateDirectory(Staging);
        return await BundleExtractor.ExtractAsync(upload, Staging, limits ?? new BundleLimits(), 1L << 30, CancellationToken.None);
    }

    private async Task<BundleException> RefusedAsync(Stream upload, BundleProblem problem, string mentions, BundleLimits? limits = null)
    {
        var error = await Assert.ThrowsAsync<BundleException>(() => ExtractAsync(upload, limits));
        Assert.Equal(problem, error.Problem);
        Assert.Contains(mentions, error.Message, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public async Task ExtractAsync_ChainedSymlinkEscape_RefusedAndNothingWrittenOutside()
    {
        var proof = $"gantry-{Guid.NewGuid():N}-escape-proof";

        await RefusedAsync(Gzip(
            Link("a", "."),
            Link("a/a/a/a/a/a/a/x", "../../../../../../.."),
            Text($"x/tmp/{proof}", "pwned")), BundleProblem.Unsafe, "'a/a/a/a/a/a/a/x'");

        Assert.False(File.Exists(Path.Combine("/tmp", proof)));
    }

    [Fact]
    public async Task ExtractAsync_LinkThroughLinkToServerFile_Refused()
    {
        File.WriteAllText(_temp.Combine("admin-token"), "gty_secret");

        var error = await RefusedAsync(Gzip(
            Link("a", "."),
            Link("a/a/tok", "../../admin-token"),
            Text("compose.yaml", "services: {}\n")), BundleProblem.Unsafe, "'a/a/tok'");

        Assert.DoesNotContain("gty_secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/")]
    public async Task ExtractAsync_AbsoluteSymlink_Refused(string target) =>
        await RefusedAsync(Gzip(Link("leak", target)), BundleProblem.Unsafe, "absolute path");

    [Theory]
    [InlineData("..")]
    [InlineData("../../etc")]
    [InlineData("sub/../..")]
    public async Task ExtractAsync_SymlinkLeavingTheRoot_Refused(string target) =>
        await RefusedAsync(Gzip(Link("up", target)), BundleProblem.Unsafe, "leads outside the project directory");

    [Fact]
    public async Task ExtractAsync_LinkMadeToEscapeByALaterLink_Refused()
    {
        // When 'l' is unpacked, 'b' does not exist and 'b/..' is the root; 'b -> .' then makes 'l' the root's parent.
        await RefusedAsync(Gzip(Link("l", "b/.."), Link("b", ".")), BundleProblem.Unsafe, "'l'");
    }

    [Fact]
    public async Task ExtractAsync_FileUnderALinkedDirectoryInside_RefusedAsWritingThroughALink()
    {
        await RefusedAsync(Gzip(Dir("sub/"), Link("d", "sub"), Text("d/f", "x")), BundleProblem.Unsafe, "through the symbolic link 'd'");

        Assert.False(File.Exists(Path.Combine(Staging, "sub", "f")));
    }

    [Fact]
    public async Task ExtractAsync_FileOverAnExistingLink_Refused()
    {
        await RefusedAsync(Gzip(Text("target.txt", "keep"), Link("l", "target.txt"), Text("l", "overwrite")), BundleProblem.Unsafe, "already in the bundle");

        Assert.Equal("keep", File.ReadAllText(Path.Combine(Staging, "target.txt")));
    }

    [Fact]
    public async Task ExtractAsync_LinksInsideTheBundle_KeptAsLinks()
    {
        await ExtractAsync(Gzip(Dir("sub/"), Text("sub/f.txt", "hello"), Link("file-link", "sub/f.txt"), Link("dir-link", "sub"), Link("sub/back", "../sub/f.txt"), Link("dangling", "not-here")));

        Assert.Equal("sub/f.txt", new FileInfo(Path.Combine(Staging, "file-link")).LinkTarget);
        Assert.Equal("sub", new FileInfo(Path.Combine(Staging, "dir-link")).LinkTarget);
        Assert.Equal("hello", File.ReadAllText(Path.Combine(Staging, "sub", "back")));
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("a/../../evil.txt")]
    [InlineData("a/b/../../../evil.txt")]
    public async Task ExtractAsync_DotDotEntry_Refused(string name)
    {
        await RefusedAsync(Gzip(Text(name, "x")), BundleProblem.Unsafe, "'..'");

        Assert.False(File.Exists(_temp.Combine("bundles", "evil.txt")));
        Assert.False(File.Exists(_temp.Combine("evil.txt")));
    }

    [Fact]
    public async Task ExtractAsync_AbsoluteEntry_Refused()
    {
        var name = $"/tmp/gantry-{Guid.NewGuid():N}-absolute";

        await RefusedAsync(Gzip(Text(name, "x")), BundleProblem.Unsafe, "absolute");

        Assert.False(File.Exists(name));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../outside.txt")]
    [InlineData("later.txt")]
    [InlineData("link")]
    public async Task ExtractAsync_HardLinkToOutsideOrNotYetExtracted_Refused(string target)
    {
        File.WriteAllText(_temp.Combine("outside.txt"), "outside");

        await Assert.ThrowsAsync<BundleException>(() => ExtractAsync(Gzip(Text("real.txt", "x"), Link("link", "real.txt"), HardLink("h", target), Text("later.txt", "later"))));

        Assert.False(File.Exists(Path.Combine(Staging, "h")));
    }

    [Fact]
    public async Task ExtractAsync_HardLinkToEarlierFile_CopiedNotLinked()
    {
        await ExtractAsync(Gzip(Text("a.txt", "content"), HardLink("b.txt", "a.txt")));

        File.WriteAllText(Path.Combine(Staging, "a.txt"), "changed");
        Assert.Equal("content", File.ReadAllText(Path.Combine(Staging, "b.txt")));
    }

    [Theory]
    [InlineData(TarEntryType.CharacterDevice, "device")]
    [InlineData(TarEntryType.BlockDevice, "device")]
    [InlineData(TarEntryType.Fifo, "fifo")]
    public async Task ExtractAsync_SpecialFile_Refused(TarEntryType type, string named) =>
        await RefusedAsync(Gzip(Of(type, "special")), BundleProblem.Unsafe, named);

    [Fact]
    public async Task ExtractAsync_DecompressionBomb_RefusedWhileStreaming()
    {
        var limits = new BundleLimits { MaxExpandedBytes = 4L << 20 };
        using var bomb = Bomb("zeros.bin", 64L << 20);
        Assert.True(bomb.Length < 256 * 1024, $"the bomb is {bomb.Length} bytes compressed");

        var error = await RefusedAsync(bomb, BundleProblem.TooLarge, "unpacks to more than 4 MiB", limits);

        Assert.Contains(BundleLimits.ExpandedBytesVariable, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Staging, "zeros.bin")), "the file was written before its size was checked");
    }

    [Fact]
    public async Task ExtractAsync_ManySmallFilesOverTheSizeLimit_Refused()
    {
        var limits = new BundleLimits { MaxExpandedBytes = 100_000 };
        var files = Enumerable.Range(0, 20).Select(i => Text($"f{i}.txt", new string('x', 10_000)));

        await RefusedAsync(Gzip(files), BundleProblem.TooLarge, "unpacks to more than", limits);
    }

    [Fact]
    public async Task ExtractAsync_FiftyThousandFiles_RefusedAtTheFileLimit()
    {
        var files = Enumerable.Range(0, 50_000).Select(i => Text($"d{i / 1000}/f{i}", ""));

        var error = await RefusedAsync(Gzip(files), BundleProblem.TooLarge, "more than 20,000 files");

        Assert.Contains(BundleLimits.EntriesVariable, error.Message, StringComparison.Ordinal);
        Assert.True(Directory.GetFiles(Staging, "*", SearchOption.AllDirectories).Length <= 20_000);
    }

    [Fact]
    public async Task ExtractAsync_TooDeep_Refused() =>
        await RefusedAsync(Gzip(Text(string.Join('/', Enumerable.Repeat("d", 40)) + "/f", "x")), BundleProblem.TooLarge, "directories deep");

    [Fact]
    public async Task ExtractAsync_PathTooLong_Refused() =>
        await RefusedAsync(Gzip(Text(string.Join('/', Enumerable.Repeat(new string('n', 200), 6)), "x")), BundleProblem.TooLarge, BundleLimits.PathLengthVariable);

    [Fact]
    public async Task ExtractAsync_NotGzip_RefusedAsMalformed() =>
        await RefusedAsync(new MemoryStream("this is not a tarball"u8.ToArray()), BundleProblem.Malformed, "not a valid tar.gz");

    [Fact]
    public async Task ExtractAsync_SameContentInAnotherOrder_SameDigest()
    {
        var first = await ExtractAsync(Gzip(Dir("src/"), Text("src/a.txt", "a"), Text("b.txt", "b"), Link("l", "b.txt")));
        Directory.Delete(Staging, recursive: true);

        var second = await ExtractAsync(Gzip(Link("l", "b.txt"), Text("b.txt", "b"), Text("src/a.txt", "a")));

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ExtractAsync_ContentOrModeChanged_OtherDigest()
    {
        var original = await ExtractAsync(Gzip(Text("run.sh", "echo hi")));
        Directory.Delete(Staging, recursive: true);
        var edited = await ExtractAsync(Gzip(Text("run.sh", "echo ho")));
        Directory.Delete(Staging, recursive: true);
        var executable = await ExtractAsync(Gzip(Text("run.sh", "echo hi", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)));

        Assert.Equal(3, new[] { original, edited, executable }.Distinct().Count());
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(Path.Combine(Staging, "run.sh")).HasFlag(UnixFileMode.UserExecute));
    }
}
