using Gantry.Compose.HostPaths;
using Gantry.Compose.Privilege;

namespace Gantry.Compose;

/// <summary>What to load: the compose files, the caller's environment and the project settings that the command line can override.</summary>
public sealed record ComposeLoadOptions
{
    /// <summary>The -f files in order; later files are merged over earlier ones by the Compose Specification's rules.</summary>
    public required IReadOnlyList<ComposeSource> Files { get; init; }

    /// <summary>Overrides COMPOSE_PROJECT_NAME and the top-level `name`; without any of them, the working directory's name, normalised.</summary>
    public string? ProjectName { get; init; }

    /// <summary>Project directory; relative paths and `.env` resolve here. Defaults to the first file's directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The caller's environment variables; they take precedence over the project's `.env` file.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Enabled profiles; "*" enables all. When empty, COMPOSE_PROFILES (comma-separated) from the environment applies.</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>The environment (test, staging, production) the app is deployed into, copied into <c>AppSpec.Environment</c>.</summary>
    public string TargetEnvironment { get; init; } = "production";

    /// <summary>Which host paths the files may name (binds, env_file, build, secret and config files, extends, include); by default only the project directory.</summary>
    public HostPathPolicy HostPaths { get; init; } = HostPathPolicy.ProjectOnly;

    /// <summary>Whether this project may use privileged keys (cap_add, privileged, devices, host namespaces, ...); by default it may not.</summary>
    public PrivilegePolicy Privilege { get; init; } = PrivilegePolicy.Refused;

    /// <summary>The engine's platform ("linux/amd64"); a service's `platform` of another OS or architecture is then an error. Null skips the check.</summary>
    public string? EnginePlatform { get; init; }

    /// <summary>
    /// Reads every file the load needs (compose files, .env, env_file, include and extends targets); null means
    /// "not found". The server passes one that reads only inside the uploaded bundle; the default reads the disk.
    /// </summary>
    public Func<string, string?>? ReadFile { get; init; }
}
