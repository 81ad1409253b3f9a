namespace Gantry.Compose.HostPaths;

/// <summary>
/// Which host paths a compose project may name (bind mounts, env_file, build context and dockerfile,
/// secret and config files, extends and include targets): by default only paths inside the project
/// directory, plus the directories an admin allows. The Docker socket and <c>/</c> need an exact entry.
/// </summary>
public sealed record HostPathPolicy
{
    /// <summary>False turns the policy off (a local tool loading the user's own files); the default is on, so a loader that forgets to choose is closed.</summary>
    public bool Enforced { get; init; } = true;

    /// <summary>The directory every host path must lie in; null means the load's working directory (the uploaded bundle on a server).</summary>
    public string? ProjectRoot { get; init; }

    /// <summary>Absolute host paths an admin allows, with everything under them; the Docker socket, a directory holding it and <c>/</c> only by an exact entry.</summary>
    public IReadOnlyList<string> AllowedPaths { get; init; } = [];

    /// <summary>The command that allows a path, named in every refusal so the user knows whom to ask and what for.</summary>
    public string AllowCommand { get; init; } = "gantry server --allow-host-path";

    /// <summary>
    /// Set when the deploy is by someone who is not an admin ("alice (deployer in web)"): the Docker socket and the host's
    /// root are then refused even where an admin allowed them, since either is root on the host; other allowed paths stay allowed.
    /// </summary>
    public string? NonAdminCaller { get; init; }

    /// <summary>Inside the project directory only.</summary>
    public static HostPathPolicy ProjectOnly { get; } = new();

    /// <summary>No restriction: for tools that load files on the machine of the person who wrote them.</summary>
    public static HostPathPolicy Unrestricted { get; } = new() { Enforced = false };
}
