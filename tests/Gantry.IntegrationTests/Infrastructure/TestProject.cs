namespace Gantry.IntegrationTests.Infrastructure;

/// <summary>A throwaway compose project directory for one test.</summary>
public sealed class TestProject : IDisposable
{
    public TestProject(string compose, params (string Path, string Content)[] files)
    {
        Directory = Path.Combine(Path.GetTempPath(), "gantry-it-project-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, "compose.yaml"), compose);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(Directory, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
    }

    public string Directory { get; }

    public string ComposePath => Path.Combine(Directory, "compose.yaml");

    public static string UniqueApp(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
