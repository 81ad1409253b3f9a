using Gantry.Compose.HostPaths;
using Gantry.Model;

namespace Gantry.Compose.Tests;

/// <summary>Helpers that load inline compose text from a temporary project directory.</summary>
internal static class TestLoad
{
    public static readonly string ProjectDir = Path.Combine(Path.GetTempPath(), "gantry-compose-tests", "proj");

    public static ComposeLoadResult Text(string yaml, IReadOnlyDictionary<string, string>? env = null, IReadOnlyList<string>? profiles = null, string? name = "app", HostPathPolicy? hostPaths = null) =>
        ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = [new ComposeSource(Path.Combine(ProjectDir, "compose.yaml"), yaml)],
            WorkingDirectory = ProjectDir,
            ProjectName = name,
            Environment = env ?? new Dictionary<string, string>(),
            Profiles = profiles ?? [],
            HostPaths = hostPaths ?? HostPathPolicy.ProjectOnly,
        });

    public static AppSpec App(string yaml, IReadOnlyDictionary<string, string>? env = null, IReadOnlyList<string>? profiles = null, HostPathPolicy? hostPaths = null)
    {
        var result = Text(yaml, env, profiles, hostPaths: hostPaths);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.App!;
    }

    public static ServiceSpec Service(string yaml, string name = "web", IReadOnlyDictionary<string, string>? env = null, HostPathPolicy? hostPaths = null) =>
        App(yaml, env, hostPaths: hostPaths).FindService(name) ?? throw new InvalidOperationException("no service " + name);

    public static ComposeDiagnostic SingleError(ComposeLoadResult result)
    {
        Assert.Null(result.App);
        var errors = result.Errors.ToList();
        Assert.True(errors.Count == 1, "expected one error, got:\n" + string.Join("\n", result.Diagnostics));
        return errors[0];
    }
}
