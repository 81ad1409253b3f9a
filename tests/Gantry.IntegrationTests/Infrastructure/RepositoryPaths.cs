namespace Gantry.IntegrationTests.Infrastructure;

/// <summary>Finds the repository (the folder with Gantry.slnx) from the test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    public static string Example(string name) => Path.Combine(Root, "examples", name);

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Gantry.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException($"no Gantry.slnx above {AppContext.BaseDirectory}");
    }
}
