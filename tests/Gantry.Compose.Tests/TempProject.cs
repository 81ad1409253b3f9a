namespace Gantry.Compose.Tests;

/// <summary>A throw-away project directory for tests that need several files on disk.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject()
    {
        Dir = Path.Combine(Path.GetTempPath(), "gantry-compose-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
    }

    public string Dir { get; }

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public ComposeLoadResult Load(IReadOnlyList<string> files, IReadOnlyList<string>? profiles = null, IReadOnlyDictionary<string, string>? env = null) =>
        ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = files.Select(f => new ComposeSource(Path.Combine(Dir, f))).ToList(),
            ProjectName = "app",
            Profiles = profiles ?? [],
            Environment = env ?? new Dictionary<string, string>(),
        });

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
