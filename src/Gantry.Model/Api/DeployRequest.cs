namespace Gantry.Model.Api;

/// <summary>
/// The JSON part ("request") of `PUT /api/v1/apps/{app}` (multipart/form-data). The other part,
/// "bundle", is a gzip'd tar of the project directory: the compose files, .env, env_files, secrets
/// files and build contexts, paths relative to the directory the CLI ran in.
/// </summary>
/// <remarks>
/// A property sent as JSON null (or left out) takes its default, so `{"variables": null}` means "no
/// variables" rather than a null that a consumer trips over; null entries in the lists and maps are dropped.
/// </remarks>
public sealed record DeployRequest
{
    /// <summary>Compose file paths inside the bundle, in -f order.</summary>
    public IReadOnlyList<string> Files
    {
        get;
        init => field = value is null ? ["compose.yaml"] : [.. value.Where(f => f is not null)];
    } = ["compose.yaml"];

    public IReadOnlyList<string> Profiles
    {
        get;
        init => field = value is null ? [] : [.. value.Where(p => p is not null)];
    } = [];

    /// <summary>Only the variables the compose files reference, taken from the caller's shell (never the whole environment).</summary>
    public IReadOnlyDictionary<string, string> Variables
    {
        get;
        init => field = value is null ? new Dictionary<string, string>() : value.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    } = new Dictionary<string, string>();

    public string Environment
    {
        get;
        init => field = string.IsNullOrEmpty(value) ? "production" : value;
    } = "production";

    /// <summary>
    /// The team a new app is created in (default: the caller's only team, or "default" for an admin). An existing app keeps
    /// its team; naming another one is refused.
    /// </summary>
    public string? Team { get; init; }

    /// <summary>Validate and plan, change nothing.</summary>
    public bool DryRun { get; init; }
}
