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
}
