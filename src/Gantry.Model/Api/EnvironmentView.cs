namespace Gantry.Model.Api;

/// <summary>One environment of an app (`GET /api/v1/apps/{app}/environments`): never a secret's value, only names and versions.</summary>
/// <param name="Instance">The app it runs as (`hello` for production, `hello-staging` for staging): every other verb takes it.</param>
public sealed record EnvironmentView(string App, string Name, string Instance)
{
    /// <summary>The instance's phase, or null when nothing was deployed to it yet.</summary>
    public string? Phase { get; init; }

    public long? Release { get; init; }

    /// <summary>The commit its current release was pushed from, when it was.</summary>
    public string? Commit { get; init; }

    /// <summary>Its variables; secret-looking values are masked.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<SecretVersionView> Secrets { get; init; } = [];

    /// <summary>Where its live releases go next (docs/decisions/0032), or null.</summary>
    public Environments.PromotionGate? Gate { get; init; }

    /// <summary>Set for a branch's preview: the branch.</summary>
    public string? PreviewOf { get; init; }
}

/// <summary>A secret's name and newest version: its value is never sent.</summary>
public sealed record SecretVersionView(string Name, long Version, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>`PATCH /api/v1/apps/{app}/environments/{env}/variables`: set some, remove others; the next deploy takes them.</summary>
/// <remarks>A property left out or sent as null means "none", as in <see cref="DeployRequest"/>; null entries are dropped.</remarks>
public sealed record VariablesChange
{
    public IReadOnlyDictionary<string, string> Set
    {
        get;
        init => field = value is null ? new Dictionary<string, string>() : value.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    } = new Dictionary<string, string>();

    public IReadOnlyList<string> Unset
    {
        get;
        init => field = value is null ? [] : [.. value.Where(v => v is not null)];
    } = [];
}

/// <summary>What `PUT .../secrets/{name}` answers: the new version, never the value.</summary>
public sealed record SecretSetResponse(string Name, long Version);

/// <summary>`POST /api/v1/apps/{app}/promote`: deploy to <see cref="To"/> exactly the images <see cref="From"/>'s live release runs.</summary>
public sealed record PromoteRequest
{
    public string From
    {
        get;
        init => field = string.IsNullOrEmpty(value) ? Environments.EnvironmentNames.DefaultPushEnvironment : value;
    } = Environments.EnvironmentNames.DefaultPushEnvironment;

    public string To
    {
        get;
        init => field = string.IsNullOrEmpty(value) ? Environments.EnvironmentNames.Production : value;
    } = Environments.EnvironmentNames.Production;
}
