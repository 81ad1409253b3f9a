using Gantry.Compose.HostPaths;

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

    public ComposeLoadResult Load(IReadOnlyList<string> files, IReadOnlyList<string>? profiles = null, IReadOnlyDictionary<string, string>? env = null, HostPathPolicy? hostPaths = null) =>
        ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = files.Select(f => new ComposeSource(Path.Combine(Dir, f))).ToList(),
            ProjectName = "app",
            Profiles = profiles ?? [],
            Environment = env ?? new Dictionary<string, string>(),
            HostPaths = hostPaths ?? HostPathPolicy.ProjectOnly,
        });

    /// <summary>Creates a symbolic link at <paramref name="relative"/> pointing to <paramref name="target"/>.</summary>
    public string Link(string relative, string target)
    {
        var path = Path.Combine(Dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
        return path;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
