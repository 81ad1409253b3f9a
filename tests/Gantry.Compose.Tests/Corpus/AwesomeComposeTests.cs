using Xunit.Abstractions;

namespace Gantry.Compose.Tests.Corpus;

public sealed class AwesomeComposeTests(ITestOutputHelper output)
{
    [Fact]
    public void Load_EveryAwesomeComposeFile_LoadsOrIsRefusedOnlyForUnsupportedFeatures()
    {
        var dir = Path.Combine(CorpusPaths.Root, "awesome-compose");
        var loaded = new List<string>();
        var refused = new List<string>();
        foreach (var file in Directory.GetFiles(dir).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var result = ComposeLoader.Load(new ComposeLoadOptions
            {
                Files = [new ComposeSource(file)],
                Environment = new Dictionary<string, string> { ["HOME"] = "/home/dev", ["PLEX_MEDIA_PATH"] = "/srv/media" },
            });
            var name = Path.GetFileName(file);
            foreach (var d in result.Diagnostics)
            {
                output.WriteLine($"{name}: {d}");
            }
            Assert.All(result.Errors, e => Assert.Contains("not supported by Gantry", e.Message, StringComparison.Ordinal));
            (result.Succeeded ? loaded : refused).Add(name);
        }
        output.WriteLine($"loaded {loaded.Count}, refused {refused.Count}");
        output.WriteLine("refused: " + string.Join(" ", refused));
    }
}
