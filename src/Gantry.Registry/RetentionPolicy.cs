namespace Gantry.Registry;

/// <summary>A retention rule for repositories matching a pattern: keep the newest tags and those matching a regex, delete the rest.</summary>
public sealed record RetentionPolicy
{
    /// <summary>Repository name or pattern with '*' wildcards (for example "apps/*").</summary>
    public required string RepositoryPattern { get; init; }

    /// <summary>Keep this many most recently pushed tags; null keeps all (only the regex then protects).</summary>
    public int? KeepLastTags { get; init; }

    /// <summary>Tags matching this regular expression are always kept (for example "^v\d+\.\d+\.\d+$").</summary>
    public string? KeepTagsMatching { get; init; }
}
