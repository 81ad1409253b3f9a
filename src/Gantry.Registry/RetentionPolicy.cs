using System.Text.RegularExpressions;

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

    /// <summary>Every reason this rule cannot be applied, each naming the value and the fix; empty when it is valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(RepositoryPattern) || RepositoryPattern.Length > 255
            || !RepositoryPattern.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-' or '/' or '*'))
        {
            errors.Add($"repository pattern '{RepositoryPattern}' is not valid: use a repository name (lower-case letters, digits, '.', '_', '-', '/') with '*' wildcards, for example 'team/*'");
        }

        if (KeepLastTags is < 0)
        {
            errors.Add($"keep-last {KeepLastTags} is not valid: give the number of newest tags to keep, 0 or more");
        }

        if (KeepTagsMatching is { } pattern)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                errors.Add($"keep-matching '{pattern}' is not a regular expression: {e.Message}");
            }
        }

        if (KeepLastTags is null && KeepTagsMatching is null)
        {
            errors.Add($"the rule for '{RepositoryPattern}' keeps every tag: give keep-last, keep-matching or both");
        }

        return errors;
    }
}
