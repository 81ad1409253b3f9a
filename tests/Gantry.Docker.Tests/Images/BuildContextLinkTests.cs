using System.Formats.Tar;
using Gantry.Docker.Images;

namespace Gantry.Docker.Tests.Images;

/// <summary>Issue 15: a build context sent to the engine never follows a link out of the context directory.</summary>
public sealed class BuildContextLinkTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("gantry-context-");

    private string Context => Path.Combine(_root.FullName, "context");

    private string Outside => Path.Combine(_root.FullName, "outside");

    public BuildContextLinkTests()
    {
        Directory.CreateDirectory(Context);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), "outside-secret");
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), "FROM scratch\nCOPY . /\n");
    }

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task CreateFromDirectoryAsync_LinksToOutside_SentAsLinksNeverAsTheirContent()
    {
        File.CreateSymbolicLink(Path.Combine(Context, "file-link"), "../outside/secret.txt");
        File.CreateSymbolicLink(Path.Combine(Context, "dir-link"), Outside);

        using var tar = await BuildContext.CreateFromDirectoryAsync(Context);

        var entries = await ReadAsync(tar);
        Assert.Equal(TarEntryType.SymbolicLink, entries["file-link"].Type);
        Assert.Equal(TarEntryType.SymbolicLink, entries["dir-link"].Type);
        Assert.DoesNotContain(entries.Keys, name => name.StartsWith("dir-link/", StringComparison.Ordinal));
        Assert.DoesNotContain(entries.Values, e => e.Content.Contains("outside-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateFromDirectoryAsync_DockerignoreIsALink_RefusedWithoutReadingIt()
    {
        File.CreateSymbolicLink(Path.Combine(Context, ".dockerignore"), "../outside/secret.txt");

        var error = await Assert.ThrowsAsync<IOException>(() => BuildContext.CreateFromDirectoryAsync(Context));

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("outside-secret", error.Message, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, (TarEntryType Type, string Content)>> ReadAsync(Stream tar)
    {
        var entries = new Dictionary<string, (TarEntryType, string)>(StringComparer.Ordinal);
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            var content = entry.DataStream is null ? "" : await new StreamReader(entry.DataStream).ReadToEndAsync();
            entries[entry.Name.TrimEnd('/')] = (entry.EntryType, content);
        }
        return entries;
    }
}
