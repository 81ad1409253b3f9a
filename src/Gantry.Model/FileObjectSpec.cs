namespace Gantry.Model;

/// <summary>A top-level secret or config. Gantry supports the file-based and environment-based forms.</summary>
/// <param name="Name">Key in the compose file.</param>
public sealed record FileObjectSpec(string Name)
{
    /// <summary>Absolute path of the file holding the value (compose `file:`).</summary>
    public string? File { get; init; }

    /// <summary>Name of the environment variable holding the value (compose `environment:`).</summary>
    public string? EnvironmentVariable { get; init; }

    /// <summary>Inline content (configs only, compose `content:`).</summary>
    public string? Content { get; init; }

    public bool External { get; init; }

    /// <summary>
    /// For an external secret taken from the app's environment (docs/decisions/0024): the version a release uses. Part of the
    /// release, so a rollback mounts the value it had; null (and left out of the JSON) for everything else.
    /// </summary>
    public long? Version { get; init; }
}
