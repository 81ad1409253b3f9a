namespace Gantry.Compose.Privilege;

/// <summary>
/// Which apps may use the compose keys that give a container power over the host (cap_add beyond the engine's defaults,
/// privileged, devices, security_opt that loosens confinement, network_mode/pid/ipc/userns_mode host, network_mode
/// container:X): by default none. The admin allows them per app, or for every app with "*".
/// </summary>
public sealed record PrivilegePolicy
{
    /// <summary>False turns the policy off (a local tool loading the user's own files); the default is on, so a loader that forgets to choose is closed.</summary>
    public bool Enforced { get; init; } = true;

    /// <summary>App (project) names allowed to use privileged keys; "*" allows every app.</summary>
    public IReadOnlyList<string> AllowedApps { get; init; } = [];

    /// <summary>The command that allows an app, named in every refusal together with the app's name.</summary>
    public string AllowCommand { get; init; } = "gantry server --allow-privilege";

    /// <summary>The environment variable that does the same, named in every refusal.</summary>
    public string AllowVariable { get; init; } = "GANTRY_ALLOW_PRIVILEGE";

    /// <summary>
    /// Set when the deploy is by someone who is not an admin ("alice (deployer in web)"): privileged keys are then refused
    /// whatever <see cref="AllowedApps"/> says, because only an admin may hand a container power over the host.
    /// </summary>
    public string? NonAdminCaller { get; init; }

    /// <summary>No app may use privileged keys.</summary>
    public static PrivilegePolicy Refused { get; } = new();

    /// <summary>No restriction: for tools that load files on the machine of the person who wrote them.</summary>
    public static PrivilegePolicy Unrestricted { get; } = new() { Enforced = false };

    /// <summary>True when <paramref name="app"/> may use privileged keys.</summary>
    public bool Allows(string app) => !Enforced || NonAdminCaller is null && AllowedApps.Any(a => a == "*" || string.Equals(a, app, StringComparison.Ordinal));
}
