namespace Gantry.Model.Api;

/// <summary>
/// The JSON part ("request") of `PUT /api/v1/apps/{app}` (multipart/form-data). The other part,
/// "bundle", is a gzip'd tar of the project directory: the compose files, .env, env_files, secrets
/// files and build contexts, paths relative to the directory the CLI ran in.
/// </summary>
public sealed record DeployRequest
{
    /// <summary>Compose file paths inside the bundle, in -f order.</summary>
    public IReadOnlyList<string> Files { get; init; } = ["compose.yaml"];

    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>Only the variables the compose files reference, taken from the caller's shell (never the whole environment).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    public string Environment { get; init; } = "production";

    /// <summary>Validate and plan, change nothing.</summary>
    public bool DryRun { get; init; }
}
