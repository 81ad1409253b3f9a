using System.Formats.Tar;
using Gantry.Docker.Images;

namespace Gantry.Docker.Tests.Images;

public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("secret.env", true)]
    [InlineData("node_modules/a/b.js", true)]
    [InlineData("src/app.tmp", true)]
    [InlineData("app.tmp", true)]
    [InlineData("src/deep/x.log", true)]
    [InlineData("x.log", true)]
    [InlineData("docs/keep.md", false)]
    [InlineData("docs/drop.md", true)]
    [InlineData("important.tmp", false)]
    [InlineData("src/app.cs", false)]
    [InlineData("build/out/bin", true)]
    [InlineData("a1.txt", true)]
    [InlineData("ab.txt", false)]
    public void IsExcluded_TypicalPatterns_MatchesLikeDockerCli(string path, bool excluded)
    {
        var ignore = new DockerIgnore(
        [
            "# comment",
            "",
            "/secret.env",
            "node_modules",
            "*.tmp",
            "*/*.tmp",
            "**/*.log",
            "docs/*.md",
            "!docs/keep.md",
            "!important.tmp",
            "./build/",
            "a[0-9].txt",
        ]);

        Assert.Equal(excluded, ignore.IsExcluded(path));
    }

    [Fact]
    public void HasExceptions_NegatedPattern_IsTrue()
    {
        Assert.True(new DockerIgnore(["*", "!keep"]).HasExceptions);
        Assert.False(new DockerIgnore(["*"]).HasExceptions);
    }

    [Fact]
    public async Task WriteDirectoryAsync_ExcludedDirectoryWithException_KeepsOnlyTheException()
    {
        var dir = Directory.CreateTempSubdirectory("gdt-ignore-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "logs"));
            File.WriteAllText(Path.Combine(dir.FullName, "logs", "a.log"), "a");
            File.WriteAllText(Path.Combine(dir.FullName, "logs", "keep.txt"), "k");
            File.WriteAllText(Path.Combine(dir.FullName, "Dockerfile"), "FROM scratch");
            File.WriteAllText(Path.Combine(dir.FullName, ".dockerignore"), "logs\nDockerfile\n!logs/keep.txt\n");

            using var tar = await BuildContext.CreateFromDirectoryAsync(dir.FullName);
            var names = new List<string>();
            using var reader = new TarReader(tar);
            while (reader.GetNextEntry() is { } entry)
            {
                names.Add(entry.Name);
            }

            Assert.Equal([".dockerignore", "Dockerfile", "logs/keep.txt"], names.Order(StringComparer.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
