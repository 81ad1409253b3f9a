namespace Gantry.Model;

/// <summary>A service's use of a top-level secret or config, mounted as a file.</summary>
/// <param name="Source">Top-level secret or config name.</param>
/// <param name="Target">Path in the container; for secrets a bare name means /run/secrets/NAME.</param>
public sealed record FileReferenceSpec(string Source, string Target)
{
    public string? Uid { get; init; }

    public string? Gid { get; init; }

    /// <summary>File mode, e.g. 0444 (octal 292).</summary>
    public int? Mode { get; init; }
}
